/**
 * The Workers Cache API (`caches.default`) in front of the KV documents: the flat version lists
 * and the registration indexes and pages. A hit costs no storage read at all.
 *
 * Platform limits this relies on (docs/platform.md §1):
 *  - the cache is local to one data centre and only works on a custom domain; on *.workers.dev
 *    every match misses and every put/delete is a no-op, so the feed is correct without it;
 *  - entries are keyed by full URL, so one hostname's entries are invisible to another's.
 *
 * Freshness. A change (push, unlist, relist) rebuilds the id's KV documents and then purges the
 * URLs whose content changed (purgePackageCache) for the origin the write came through, in the
 * data centre that handled it. Every other copy (other data centres, other hostnames) lives at
 * most its max-age (SHORT_LIVED, 60 s), after KV itself may lag up to 60 s outside the writing
 * location (docs/platform.md §3). A read that fetched the old page from KV just before the purge
 * may still store it after; that copy, too, is gone within max-age. Keep max-age short for these reasons.
 */
import { SHORT_LIVED } from '../cachePolicy';
import { feedLinks, HIVES, hiveLevel, type Hive, type HiveLevel } from '../links';
import { documentRefOf, type DocumentRef, type TaggedText } from './documents';

const TAG_HEADER = 'X-EdgeGet-Tag';

/**
 * The document at `url` (a canonical URL from src/links.ts): from the cache, else from `load`,
 * which is then stored for max-age seconds without delaying the response. Only found documents
 * are cached: a 404 must not outlive the push that creates the package.
 */
export async function cachedText(
  cache: Cache,
  url: string,
  ctx: ExecutionContext,
  load: () => Promise<TaggedText | null>,
): Promise<TaggedText | null> {
  const hit = await cache.match(url);
  const tag = hit?.headers.get(TAG_HEADER);
  if (hit && tag) return { text: await hit.text(), tag };
  const loaded = await load();
  if (loaded) {
    const stored = new Response(loaded.text, { headers: { 'Cache-Control': SHORT_LIVED, [TAG_HEADER]: loaded.tag } });
    ctx.waitUntil(cache.put(url, stored));
  }
  return loaded;
}

function hivesOf(level: HiveLevel): Hive[] {
  return HIVES.filter((hive) => hiveLevel(hive) === level);
}

/** Every URL a page is served at for one origin: a registration level is served by one or two hives. */
function urlsOf(origin: string, ref: DocumentRef): string[] {
  const links = feedLinks(origin);
  switch (ref.kind) {
    case 'versionsIndex':
      return [links.versionsIndex(ref.lowerId)];
    case 'registrationIndex':
      return hivesOf(ref.level).map((hive) => links.registrationIndex(hive, ref.lowerId));
    case 'registrationPage':
      return hivesOf(ref.level).map((hive) => links.registrationPage(hive, ref.lowerId, ref.page));
  }
}

/**
 * Removes the cached copies of the documents a rebuild changed (RebuildResult.changed from
 * src/documents/rebuild.ts), for `origin` (the origin of the write request) in this data centre.
 * Call it after rebuildDocuments. Each URL is one cache operation, within the per-request limit
 * (50 Free, 1,000 Paid) shared with the rebuild: a change rewrites the flat list, the two indexes
 * and the page holding its version (src/documents/rebuild.ts), about 1.5 deletes per KV document
 * written (the semver1 level is served by two hives). An unchanged document is kept.
 */
export async function purgePackageCache(cache: Cache, origin: string, changed: readonly string[]): Promise<void> {
  const urls = changed.flatMap((key) => {
    const ref = documentRefOf(key);
    return ref ? urlsOf(origin, ref) : [];
  });
  // Never fails the change: a copy left behind expires within max-age.
  const results = await Promise.allSettled(urls.map((url) => cache.delete(url)));
  const failed = results.filter((result) => result.status === 'rejected').length;
  if (failed > 0) console.error('edge cache purge incomplete', origin, `${failed} of ${urls.length} deletes failed`);
}
