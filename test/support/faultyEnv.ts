/**
 * Fault injection for the push-integrity tests: an Env whose R2, D1 or KV binding fails (or
 * waits) on a chosen call, and the Worker's own default export driven through it, so a request
 * meets the fault exactly where production would.
 */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { exports } from 'cloudflare:workers';
import { expect } from 'vitest';
import type { Env } from '../../src/env';
import worker from '../../src/index';
import { feedLinks, type Hive } from '../../src/links';
import type { RegistrationIndex, RegistrationPage } from '../../src/nuget/registration';
import { rebuildAllPages } from '../../src/pages/rebuild';
import type { PageMetadata } from '../../src/store/pages';

export type Binding = 'PACKAGES' | 'DB' | 'PAGES';

/**
 * throw: the call fails and does nothing. lost: the call takes effect, then its answer is lost
 * (a timeout after the write landed). wait: the call is held until the promise `wait()` returns
 * settles (a slow binding), then runs normally.
 */
export type Effect = 'throw' | 'lost' | { wait: () => Promise<unknown> };

export interface Fault {
  binding: Binding;
  /** Method name; for R2 multipart uploads also `uploadPart`, `complete`, `abort`. */
  method: string;
  /** Only matching calls count (default: every call of the method). */
  match?: (args: unknown[]) => boolean;
  /** Which matching call is hit, from 1 (default 1); 'every' hits them all. */
  nth?: number | 'every';
  effect: Effect;
}

export interface FaultyEnv {
  env: Env;
  /** How many calls each fault has hit so far, in the order given. */
  hits: number[];
}

export class InjectedFault extends Error {}

export function faultyEnv(base: Env, faults: readonly Fault[]): FaultyEnv {
  const seen = faults.map(() => 0);
  const hits = faults.map(() => 0);

  async function call(binding: Binding, method: string, target: object, fn: Function, args: unknown[]) {
    let effect: Effect | null = null;
    faults.forEach((fault, i) => {
      if (fault.binding !== binding || fault.method !== method || !(fault.match?.(args) ?? true)) return;
      seen[i]!++;
      if (effect === null && (fault.nth === 'every' || seen[i] === (fault.nth ?? 1))) {
        hits[i]!++;
        effect = fault.effect;
      }
    });
    const fail = () => new InjectedFault(`injected fault: ${binding}.${method}`);
    if (effect === 'throw') throw fail();
    if (effect !== null && effect !== 'lost') await (effect as { wait: () => Promise<unknown> }).wait();
    const result = await Reflect.apply(fn, target, args);
    if (effect === 'lost') throw fail();
    // Parts and completion of a multipart upload go through the object it returns.
    if (method === 'createMultipartUpload') return wrap(binding, result as object);
    return result;
  }

  // Only methods a fault names are intercepted (they all return promises); the rest, such as
  // D1's synchronous prepare(), are the binding's own.
  function wrap<T extends object>(binding: Binding, target: T): T {
    const methods = new Set(faults.filter((f) => f.binding === binding).map((f) => f.method));
    if (binding === 'PACKAGES') methods.add('createMultipartUpload');
    return new Proxy(target, {
      get(object, property) {
        const value = Reflect.get(object, property, object);
        if (typeof value !== 'function') return value;
        if (typeof property !== 'string' || !methods.has(property)) return value.bind(object);
        return (...args: unknown[]) => call(binding, property, object, value, args);
      },
    });
  }

  const env: Env = {
    ...base,
    PACKAGES: wrap('PACKAGES', base.PACKAGES),
    DB: wrap('DB', base.DB),
    PAGES: wrap('PAGES', base.PAGES),
  };
  return { env, hits };
}

/** Matches calls whose first argument (the R2 or KV key) satisfies `test`. */
export function keyMatching(test: (key: string) => boolean): (args: unknown[]) => boolean {
  return (args) => typeof args[0] === 'string' && test(args[0]);
}

/** A promise and the function that resolves it. */
export function gate(): { until: Promise<void>; open: () => void } {
  let open = () => {};
  const until = new Promise<void>((resolve) => (open = resolve));
  return { until, open };
}

/** One request through the Worker with `env`, waiting for whatever it left in waitUntil. */
export async function fetchWith(env: Env, request: Request): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await worker.fetch(request, env, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

// Observing the feed as a client does, through the healthy Worker. Each observation comes
// from an origin of its own: the edge cache (src/edgeCache.ts) keys entries by URL, so this
// reads the storage behind it, which is what these tests are about, not a copy the cache may
// keep for its max-age.

const links = () => feedLinks(`https://${crypto.randomUUID()}.feed.test`);
const get = async (url: string) => exports.default.fetch(new Request(url));

/** The identity of a version string: normalized, lowercased, without build metadata. */
export function lowerOf(version: string): string {
  return version.split('+', 1)[0]!.toLowerCase();
}

/** The flat container's version list; [] when it has none (404). */
export async function flatVersions(lowerId: string): Promise<string[]> {
  const response = await get(links().versionsIndex(lowerId));
  if (response.status === 404) return [];
  expect(response.status).toBe(200);
  return ((await response.json()) as { versions: string[] }).versions;
}

/** lowerVersion → listed, over every page of a hive, stubs fetched (protocol §4.7). */
export async function registrationListing(hive: Hive, lowerId: string): Promise<Map<string, boolean>> {
  const listing = new Map<string, boolean>();
  const response = await get(links().registrationIndex(hive, lowerId));
  if (response.status === 404) return listing;
  expect(response.status).toBe(200);
  const index = (await response.json()) as RegistrationIndex;
  expect(index.count).toBe(index.items.length);
  for (const stub of index.items) {
    const page = stub.items ? stub : ((await (await get(stub['@id'])).json()) as RegistrationPage);
    expect(page.items, stub['@id']).toHaveLength(stub.count);
    for (const leaf of page.items!) listing.set(lowerOf(leaf.catalogEntry.version), leaf.catalogEntry.listed);
  }
  return listing;
}

export interface Eligibility {
  prerelease: boolean;
  semVer2: boolean;
}

function query(params: Record<string, string>, e: Eligibility): string {
  return new URLSearchParams({ ...params, prerelease: String(e.prerelease), ...(e.semVer2 ? { semVerLevel: '2.0.0' } : {}) }).toString();
}

/** The versions search shows for one id (lower versions, ascending). */
export async function searchVersions(id: string, e: Eligibility): Promise<string[]> {
  const response = await get(`${links().search}?${query({ q: `packageid:${id}` }, e)}`);
  expect(response.status).toBe(200);
  const { data } = (await response.json()) as { data: { id: string; versions: { version: string }[] }[] };
  return (data.find((hit) => hit.id.toLowerCase() === id.toLowerCase())?.versions ?? []).map((v) => lowerOf(v.version));
}

/** Autocomplete's version mode for one id (lower versions, ascending). */
export async function autocompleteVersions(lowerId: string, e: Eligibility): Promise<string[]> {
  const response = await get(`${links().autocomplete}?${query({ id: lowerId }, e)}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { data: string[] }).data.map(lowerOf);
}

/** The served .nupkg, or null when the flat container answers 404. */
export async function servedNupkg(lowerId: string, lowerVersion: string): Promise<Uint8Array | null> {
  const response = await get(links().packageContent(lowerId, lowerVersion));
  if (response.status === 404) return null;
  expect(response.status).toBe(200);
  return new Uint8Array(await response.arrayBuffer());
}

/** Every KV page: key → generation and text. */
export async function pagesSnapshot(kv: KVNamespace): Promise<Map<string, { generation: number; text: string | null }>> {
  const snapshot = new Map<string, { generation: number; text: string | null }>();
  const { keys } = await kv.list<PageMetadata>();
  for (const key of keys) snapshot.set(key.name, { generation: key.metadata?.generation ?? -1, text: await kv.get(key.name) });
  return snapshot;
}

/** Asserts KV already holds exactly what a forced rebuild of every id from D1 writes. */
export async function expectPagesMatchD1(env: Env): Promise<void> {
  const before = await pagesSnapshot(env.PAGES);
  await rebuildAllPages(env, { force: true });
  expect(before).toEqual(await pagesSnapshot(env.PAGES));
}
