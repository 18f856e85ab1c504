/** Calls of the feed's admin API (deprecations, advisories) from worker tests, with the test admin key. */
import { exports } from 'cloudflare:workers';
import { FEED, TEST_API_KEY } from './nupkg';

export function admin(method: string, path: string, body?: unknown, apiKey = TEST_API_KEY): Promise<Response> {
  const init: RequestInit = { method, headers: { 'X-NuGet-ApiKey': apiKey, 'Content-Type': 'application/json' } };
  if (body !== undefined) init.body = JSON.stringify(body);
  return exports.default.fetch(new Request(`${FEED}${path}`, init));
}

/** A feed document as JSON. */
export async function getJson(path: string): Promise<any> {
  return (await exports.default.fetch(new Request(`${FEED}${path}`))).json();
}

/** Every catalogEntry of an inlined registration index, in order. */
export async function registrationEntries(hive: string, lowerId: string): Promise<any[]> {
  const index = await getJson(`/v3/${hive}/${lowerId}/index.json`);
  return index.items.flatMap((page: any) => page.items.map((item: any) => item.catalogEntry));
}
