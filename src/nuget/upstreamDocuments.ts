/**
 * Upstream documents made this feed's own: every URL of the upstream's flat container and
 * registration hives is replaced by this feed's, so a client restoring through the feed never
 * talks to the upstream (and never needs its credentials). Search results are merged with local
 * ones: local first, and an upstream hit for an id that is local (or reserved) is dropped. Pure.
 */
import type { FeedLinks, Hive, HiveLevel } from '../links';
import type { UpstreamResources } from './upstream';

/** [upstream base, this feed's base] pairs, longest upstream base first so no base shadows a longer one. */
export type UrlPairs = readonly (readonly [string, string])[];

export function upstreamPairs(resources: UpstreamResources, level: HiveLevel, links: FeedLinks, hive: Hive): UrlPairs {
  const pairs: [string, string][] = resources.registration[level].map((base) => [base, links.hiveBase(hive)]);
  pairs.push([resources.flat, links.flatContainer]);
  return pairs.sort((a, b) => b[0].length - a[0].length);
}

/** Every string value that starts with an upstream base, moved to this feed's; other values as they are. */
export function rewriteUrls(value: unknown, pairs: UrlPairs): unknown {
  if (typeof value === 'string') {
    const pair = pairs.find(([from]) => value.startsWith(from));
    return pair ? pair[1] + value.slice(pair[0].length) : value;
  }
  if (Array.isArray(value)) return value.map((item) => rewriteUrls(item, pairs));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, rewriteUrls(item, pairs)]));
  }
  return value;
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** The versions of an upstream flat index (§3.2), lowercased; null when the text is no such document. */
export function upstreamVersionList(text: string): string[] | null {
  const doc = parsed(text);
  const versions = isObject(doc) ? doc.versions : null;
  if (!Array.isArray(versions) || !versions.every((v) => typeof v === 'string')) return null;
  return versions.map((v) => v.toLowerCase());
}

/** A registration index made this feed's, and the upstream URL of each page it names by number ('' when inlined). */
export interface StoredIndex {
  text: string;
  pages: string[];
}

/**
 * The upstream's page URLs take any shape (nuget.org: `page/{lower}/{upper}.json`); this feed's
 * pages are numbered (src/links.ts), so a page stub is renamed to the number of its place in the
 * index, and `pages` remembers where to fetch it.
 */
export function storedRegistrationIndex(
  text: string,
  pairs: UrlPairs,
  links: FeedLinks,
  hive: Hive,
  lowerId: string,
): StoredIndex | null {
  const doc = parsed(text);
  if (!isObject(doc) || !Array.isArray(doc.items)) return null;
  const pages: string[] = [];
  const items = doc.items.map((page: unknown, n) => {
    const upstreamUrl = isObject(page) && typeof page['@id'] === 'string' ? page['@id'] : '';
    const inlined = isObject(page) && Array.isArray(page.items);
    pages.push(inlined ? '' : upstreamUrl);
    const moved = rewriteUrls(page, pairs) as Json;
    return inlined ? moved : { ...moved, '@id': links.registrationPage(hive, lowerId, n) };
  });
  return { text: JSON.stringify({ ...(rewriteUrls(doc, pairs) as Json), items }), pages };
}

/** A registration page (named by its number here) or leaf made this feed's; null when the text is not JSON. */
export function storedRegistrationDocument(text: string, pairs: UrlPairs, pageUrl?: string): string | null {
  const doc = parsed(text);
  if (!isObject(doc)) return null;
  const moved = rewriteUrls(doc, pairs) as Json;
  return JSON.stringify(pageUrl ? { ...moved, '@id': pageUrl } : moved);
}

/** An upstream search or autocomplete answer (§5.3, §6.3): its hits, or null when it is not one. */
export interface UpstreamHits<T> {
  totalHits: number;
  data: T[];
}

export function upstreamHits(text: string): UpstreamHits<unknown> | null {
  const doc = parsed(text);
  if (!isObject(doc) || !Array.isArray(doc.data)) return null;
  return { totalHits: typeof doc.totalHits === 'number' ? doc.totalHits : doc.data.length, data: doc.data };
}

/** The id a search hit (an object with `id`) or an autocomplete hit (the id itself) names, lowercased. */
export function hitId(hit: unknown): string | null {
  const id = typeof hit === 'string' ? hit : isObject(hit) ? hit.id : null;
  return typeof id === 'string' ? id.toLowerCase() : null;
}

/**
 * Which upstream hits a page of results needs: local hits fill the page first; the upstream's
 * list continues after them, so its skip is what the local total leaves of the request's. null:
 * the page is full of local hits.
 */
export function upstreamWindow(
  skip: number,
  take: number,
  local: { totalHits: number; shown: number },
): { skip: number; take: number } | null {
  const room = take - local.shown;
  return room > 0 ? { skip: Math.max(0, skip - local.totalHits), take: room } : null;
}

/**
 * Local hits, then the upstream's for ids `mayShow` allows (not local, not reserved), rewritten to
 * this feed, at most `take`. totalHits adds the upstream's total, less the hits dropped here.
 */
export function mergeHits<T>(
  local: UpstreamHits<T>,
  upstream: UpstreamHits<unknown>,
  mayShow: (lowerId: string) => boolean,
  pairs: UrlPairs,
  take: number,
): UpstreamHits<T> {
  const seen = new Set(local.data.map(hitId));
  const kept = upstream.data.filter((hit) => {
    const id = hitId(hit);
    if (id === null || seen.has(id) || !mayShow(id)) return false;
    seen.add(id);
    return true;
  });
  const dropped = upstream.data.length - kept.length;
  const data = [...local.data, ...(kept.map((hit) => rewriteUrls(hit, pairs)) as T[])].slice(0, take);
  return { totalHits: local.totalHits + Math.max(0, upstream.totalHits - dropped), data };
}
