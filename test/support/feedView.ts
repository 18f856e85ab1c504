/**
 * Observing the feed as a client does, through the healthy Worker, and the integrity checks the
 * push-integrity tests share. Each observation comes from an origin of its own: the edge cache
 * (src/store/edgeCache.ts) keys entries by URL, so these read the storage behind it, which is what the
 * tests are about, not a copy the cache may keep for its max-age.
 */
import { env, exports } from 'cloudflare:workers';
import { expect } from 'vitest';
import type { Env } from '../../src/env';
import { feedLinks, type Hive } from '../../src/links';
import type { RegistrationIndex, RegistrationPage } from '../../src/nuget/registration';
import { rebuildAllDocuments } from '../../src/documents/rebuild';
import { repairFeed } from '../../src/documents/repair';
import { blobKeys, blobVersionOf } from '../../src/store/blobs';
import { findVersion } from '../../src/store/packages';
import type { DocumentMetadata } from '../../src/store/documents';

/** The D1 tables a push writes (schema.sql): what a refused push must leave empty. */
export const PACKAGE_TABLES = [
  'package_registrations',
  'package_versions',
  'package_search',
  'search_packages',
  'catalog_items',
];

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
  return new URLSearchParams({
    ...params,
    prerelease: String(e.prerelease),
    ...(e.semVer2 ? { semVerLevel: '2.0.0' } : {}),
  }).toString();
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
export async function pagesSnapshot(
  kv: KVNamespace,
): Promise<Map<string, { generation: number; text: string | null }>> {
  const snapshot = new Map<string, { generation: number; text: string | null }>();
  const { keys } = await kv.list<DocumentMetadata>();
  for (const key of keys)
    snapshot.set(key.name, { generation: key.metadata?.generation ?? -1, text: await kv.get(key.name) });
  return snapshot;
}

/** Asserts KV already holds exactly what a forced rebuild of every id from D1 writes. */
export async function expectPagesMatchD1(env: Env): Promise<void> {
  const before = await pagesSnapshot(env.PAGES);
  await rebuildAllDocuments(env, { force: true });
  expect(before).toEqual(await pagesSnapshot(env.PAGES));
}

// Integrity checks.

export const HOUR = 60 * 60 * 1000;
export const everything: Eligibility = { prerelease: true, semVer2: true };

export async function sha512(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-512', bytes));
  let binary = '';
  for (const byte of digest) binary += String.fromCharCode(byte);
  return btoa(binary);
}

export async function keysUnder(prefix: string): Promise<string[]> {
  return (await env.PACKAGES.list({ prefix })).objects.map((o) => o.key);
}

/** Every row's nupkg is stored with the row's hash, and every version a view shows has a row and downloads. */
export async function expectNoHalfVisibleVersion(lowerId: string, id: string): Promise<void> {
  const { results } = await env.DB.prepare(
    'SELECT lower_version, package_hash FROM package_versions WHERE lower_id = ?',
  )
    .bind(lowerId)
    .all<{ lower_version: string; package_hash: string }>();
  const rows = new Map(results.map((r) => [r.lower_version, r.package_hash]));
  for (const [version, hash] of rows) {
    const served = await servedNupkg(lowerId, version);
    expect(served, `${lowerId} ${version} has a row but no nupkg`).not.toBeNull();
    expect(await sha512(served!)).toBe(hash);
  }
  const shown = new Set([
    ...(await flatVersions(lowerId)),
    ...(await searchVersions(id, everything)),
    ...(await registrationListing('semver2-gz', lowerId)).keys(),
  ]);
  for (const version of shown) expect(rows.has(version), `${lowerId} ${version} is shown without a row`).toBe(true);
}

/** After repair: no blob under packages/ lacks a row, no upload is left, and KV is D1's. */
export async function repairAndCheck(): Promise<void> {
  await repairFeed(env, new Date(Date.now() + 2 * HOUR));
  for (const key of await keysUnder(blobKeys.packagesPrefix)) {
    const version = blobVersionOf(key)!;
    expect(await findVersion(env.DB, version.lowerId, version.lowerVersion), `orphan blob ${key}`).not.toBeNull();
  }
  expect(await keysUnder(blobKeys.uploadsPrefix)).toEqual([]);
  await expectPagesMatchD1(env);
}
