/**
 * Reads the feed's state over plain HTTP, the way any client would: resources are located through the
 * service index (`@type` → `@id`), never through hard-coded paths.
 */
import { readFileSync } from 'node:fs';
import type { Feed } from '../../../devkit/feed.mjs';

interface ServiceIndex {
  resources: { '@id': string; '@type': string }[];
}

export async function resourceUrl(feed: Feed, type: string): Promise<string> {
  const index = (await (await fetch(feed.source)).json()) as ServiceIndex;
  const found = index.resources.find((r) => r['@type'] === type);
  if (!found) throw new Error(`the service index advertises no ${type}`);
  return found['@id'];
}

export interface HttpResult<T> {
  readonly status: number;
  readonly statusText: string;
  readonly headers: Headers;
  readonly body: T | null;
}

export async function getJson<T>(url: string): Promise<HttpResult<T>> {
  const response = await fetch(url, { headers: { 'Accept-Encoding': 'gzip' } });
  const text = await response.text();
  let body: T | null = null;
  if (response.ok) body = JSON.parse(text) as T;
  return { status: response.status, statusText: response.statusText, headers: response.headers, body };
}

const base = (url: string) => (url.endsWith('/') ? url : `${url}/`);

/** Flat container `{id}/index.json`: the version strings, or null on 404. */
export async function flatVersions(feed: Feed, id: string): Promise<string[] | null> {
  const flat = base(await resourceUrl(feed, 'PackageBaseAddress/3.0.0'));
  const result = await getJson<{ versions: string[] }>(`${flat}${id.toLowerCase()}/index.json`);
  if (result.status === 404) return null;
  if (!result.body) throw new Error(`GET flat index of ${id} → ${result.status} ${result.statusText}`);
  return result.body.versions;
}

/** The .nupkg bytes as the flat container serves them (lower id and normalized lower version). */
export async function flatPackage(feed: Feed, id: string, lowerVersion: string): Promise<Uint8Array | null> {
  const flat = base(await resourceUrl(feed, 'PackageBaseAddress/3.0.0'));
  const lowerId = id.toLowerCase();
  const response = await fetch(`${flat}${lowerId}/${lowerVersion}/${lowerId}.${lowerVersion}.nupkg`);
  if (response.status === 404) return null;
  if (!response.ok) throw new Error(`GET nupkg ${id} ${lowerVersion} → ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

export interface SearchResult {
  totalHits: number;
  data: {
    id: string;
    version: string;
    versions: { version: string }[];
    description?: string;
    tags?: string[] | string;
  }[];
}

export async function searchFeed(feed: Feed, params: Record<string, string>): Promise<SearchResult> {
  const url = new URL(await resourceUrl(feed, 'SearchQueryService/3.5.0'));
  for (const [name, value] of Object.entries({ semVerLevel: '2.0.0', ...params })) url.searchParams.set(name, value);
  const result = await getJson<SearchResult>(url.toString());
  if (!result.body) throw new Error(`GET ${url} → ${result.status} ${result.statusText}`);
  return result.body;
}

export interface RegistrationLeaf {
  catalogEntry: { id: string; version: string; listed?: boolean; tags?: string[] | string; description?: string };
  packageContent: string;
}
interface RegistrationPage {
  '@id': string;
  items?: RegistrationLeaf[];
}

/** Every leaf of the id's SemVer 2 registration (pages fetched when not inlined), or null on 404. */
export async function registrationLeaves(feed: Feed, id: string): Promise<RegistrationLeaf[] | null> {
  const hive = base(await resourceUrl(feed, 'RegistrationsBaseUrl/3.6.0'));
  const index = await getJson<{ items: RegistrationPage[] }>(`${hive}${id.toLowerCase()}/index.json`);
  if (index.status === 404) return null;
  if (!index.body) throw new Error(`GET registration of ${id} → ${index.status} ${index.statusText}`);
  const leaves: RegistrationLeaf[] = [];
  for (const page of index.body.items) {
    const items = page.items ?? (await getJson<RegistrationPage>(page['@id'])).body?.items ?? [];
    leaves.push(...items);
  }
  return leaves;
}

/** POST {PackagePublish}/{id}/{version}: relist (there is no dotnet command for it). */
export async function relist(feed: Feed, id: string, version: string, apiKey = feed.apiKey): Promise<Response> {
  const publish = await resourceUrl(feed, 'PackagePublish/2.0.0');
  return fetch(`${base(publish)}${id}/${version}`, { method: 'POST', headers: { 'X-NuGet-ApiKey': apiKey } });
}

export function sameBytes(path: string, bytes: Uint8Array | null): boolean {
  if (!bytes) return false;
  return Buffer.compare(readFileSync(path), Buffer.from(bytes)) === 0;
}
