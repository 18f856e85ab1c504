/**
 * The upstream exchanges of src/upstreamCache.ts, one function each: fetch (src/store/upstreamFeed.ts),
 * check, rewrite to this feed's URLs (src/nuget/upstreamDocuments.ts), and what they record in D1.
 */
import { contentTag } from './cachePolicy';
import type { Env } from './env';
import { type HiveLevel, type PackageFile, packageFileName, storedHiveOf, storedLinks } from './links';
import {
  parseUpstreamConfig,
  type UpstreamConfig,
  type UpstreamResources,
  type UpstreamVars,
  upstreamResources,
} from './nuget/upstream';
import {
  storedRegistrationDocument,
  storedRegistrationIndex,
  upstreamPairs,
  upstreamVersionList,
} from './nuget/upstreamDocuments';
import { fail, type Failure, isFailure } from './problems';
import { headUpstreamFile, storeWhileStreaming, upstreamBlobKeys } from './store/upstreamBlobs';
import { fetchUpstreamFile, fetchUpstreamText, MISSING, type Missing } from './store/upstreamFeed';
import { claimUpstreamPackage, recordCachedFile, recordRefresh } from './store/upstreamPackages';

/** The id has local history: the route serves its local data (or its local 404). */
export type Local = { local: true };
export const LOCAL: Local = { local: true };

/** The bindings and vars the upstream uses. */
export type UpstreamEnv = Pick<Env, 'DB' | 'PACKAGES' | 'UPSTREAM'> & UpstreamVars;

/** A document as served, with its content hash (ETags); a registration index also names its pages' upstream URLs. */
export interface Stored {
  text: string;
  tag: string;
  pages?: string[];
}

/** The configuration; a `notFound` Failure when no upstream is configured. */
export function upstreamConfigOf(env: Partial<UpstreamEnv>): UpstreamConfig | Failure {
  return parseUpstreamConfig(env) ?? fail('notFound', 'No upstream feed is configured (UPSTREAM_URL).');
}

/** While `npx edgeget upstream forget` clears the id, nothing of it is served or fetched. */
export function beingForgotten(lowerId: string): Failure {
  return fail('conflict', `The upstream copy of ${lowerId} is being forgotten; try again in a moment.`);
}

export interface Breaker {
  failures: number;
  openUntil: number;
}

export const BREAKER_FAILURES = 5;
export const BREAKER_COOL_DOWN_MS = 30_000;

/** The breaker after an outcome: closed (null) by a success, open for the cool-down from BREAKER_FAILURES on. */
export function breakerAfter(breaker: Breaker | undefined, ok: boolean, now: number): Breaker | null {
  if (ok) return null;
  const failures = (breaker?.failures ?? 0) + 1;
  return { failures, openUntil: failures >= BREAKER_FAILURES ? now + BREAKER_COOL_DOWN_MS : 0 };
}

export function breakerRefusal(config: UpstreamConfig, breaker: Breaker): Failure {
  return fail(
    'badGateway',
    `The upstream feed ${config.serviceIndex} is failing (${breaker.failures} errors in a row); it is tried again after ${new Date(breaker.openUntil).toISOString()}.`,
  );
}

export async function resourcesFetch(config: UpstreamConfig): Promise<UpstreamResources | Failure> {
  const text = await fetchUpstreamText(config, config.serviceIndex);
  if (typeof text !== 'string') {
    return isFailure(text) ? text : fail('badGateway', `The upstream ${config.serviceIndex} answered 404.`);
  }
  let index: unknown;
  try {
    index = JSON.parse(text);
  } catch {
    index = null;
  }
  return upstreamResources(index, config.serviceIndex);
}

async function stored(text: string, pages?: string[]): Promise<Stored> {
  return { text, tag: await contentTag(text), ...(pages ? { pages } : {}) };
}

function notUnderstood(config: UpstreamConfig, url: string): Failure {
  return fail('badGateway', `The upstream feed ${config.serviceIndex} sent a document this feed cannot read (${url}).`);
}

/**
 * The version list; a list with versions claims an unclaimed id, unless a push made it local
 * since the caller read its local history (src/upstreamCache.ts).
 */
export async function versionsFetch(
  env: UpstreamEnv,
  config: UpstreamConfig,
  resources: UpstreamResources,
  lowerId: string,
  claim: 'claimed' | 'unclaimed',
): Promise<Stored | Local | Missing | Failure> {
  const now = new Date();
  const url = `${resources.flat}${lowerId}/index.json`;
  const text = await fetchUpstreamText(config, url);
  if (typeof text !== 'string') return text;
  const versions = upstreamVersionList(text);
  if (versions === null) return notUnderstood(config, url);
  if (versions.length === 0) return MISSING;
  if (claim === 'unclaimed' && !(await claimUpstreamPackage(env.DB, lowerId, now))) return LOCAL;
  if (claim === 'claimed') await recordRefresh(env.DB, lowerId, now);
  return stored(JSON.stringify({ versions }));
}

/** A registration index, or a page (by the index's upstream URL for it) or a leaf, of one level. */
export async function registrationFetch(
  config: UpstreamConfig,
  resources: UpstreamResources,
  lowerId: string,
  level: HiveLevel,
  wanted: { page?: number; pageUrl?: string; leaf?: string },
): Promise<Stored | Missing | Failure> {
  const base = resources.registration[level][0] ?? '';
  const links = storedLinks();
  const hive = storedHiveOf(level);
  const pairs = upstreamPairs(resources, level, links, hive);
  const url = wanted.pageUrl ?? `${base}${lowerId}/${wanted.leaf === undefined ? 'index' : wanted.leaf}.json`;
  const text = await fetchUpstreamText(config, url);
  if (typeof text !== 'string') return text;
  if (wanted.pageUrl === undefined && wanted.leaf === undefined) {
    const index = storedRegistrationIndex(text, pairs, links, hive, lowerId);
    return index ? stored(index.text, index.pages) : notUnderstood(config, url);
  }
  const pageUrl = wanted.page === undefined ? undefined : links.registrationPage(hive, lowerId, wanted.page);
  const document = storedRegistrationDocument(text, pairs, pageUrl);
  return document === null ? notUnderstood(config, url) : stored(document);
}

export interface FetchedFile {
  body: ReadableStream<Uint8Array>;
  /** NaN when the upstream did not say. */
  length: number;
  contentType: string;
  stored?: Promise<void>;
}

export interface FileRequest {
  lowerId: string;
  lowerVersion: string;
  file: PackageFile;
  contentType: string;
}

/**
 * A package file: 'stored' when R2 has it already; else the upstream's body, with `stored`, the
 * put into R2 it feeds, when its length is known (a body without Content-Length, or encoded, is
 * passed on without being kept: R2 needs the length first).
 */
export async function fileFetch(
  env: UpstreamEnv,
  config: UpstreamConfig,
  resources: UpstreamResources,
  request: FileRequest,
): Promise<'stored' | Missing | Failure | FetchedFile> {
  const { lowerId, lowerVersion, file } = request;
  const key = upstreamBlobKeys.file(lowerId, lowerVersion, file);
  if (await headUpstreamFile(env.PACKAGES, key)) return 'stored';
  const url = `${resources.flat}${lowerId}/${lowerVersion}/${packageFileName[file](lowerId, lowerVersion)}`;
  const response = await fetchUpstreamFile(config, url);
  if (!(response instanceof Response)) return response;
  const length = Number(response.headers.get('Content-Length') ?? Number.NaN);
  const body = response.body as ReadableStream<Uint8Array>;
  const contentType = request.contentType || response.headers.get('Content-Type') || 'application/octet-stream';
  const encoded = (response.headers.get('Content-Encoding') ?? 'identity') !== 'identity';
  if (!Number.isSafeInteger(length) || length < 0 || encoded) {
    console.warn('upstream file passed on uncached: no length', url);
    return { body, length: Number.NaN, contentType };
  }
  const streamed = storeWhileStreaming(env.PACKAGES, key, body, length, contentType);
  const recorded = streamed.stored.then(() => recordCachedFile(env.DB, lowerId, length));
  return { body: streamed.client, length, contentType, stored: recorded };
}
