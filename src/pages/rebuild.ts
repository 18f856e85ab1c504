/**
 * Rebuilds an id's KV pages from D1, the truth: the flat version list and, per hive level, the
 * registration index and page documents, built against STORED_ORIGIN (src/links.ts).
 *
 * Leaf documents are not stored. They are derived from the stored index or page on request
 * (src/routes/registration.ts): that costs a leaf request one or two KV reads, but saves a KV
 * write per version on every change (KV allows 1 write/s per key and, on the free plan, 1,000
 * writes a day), and a leaf can never disagree with its page.
 *
 * Concurrency. KV has no compare-and-set (docs/platform.md §3), and two changes of the
 * same id can rebuild at once: the slower rebuild, holding the older D1 snapshot, could write
 * last and leave old pages. Two guards:
 *  1. every page carries the D1 generation it was built from, and a key whose stored
 *     generation is already >= ours is not written (nor deleted);
 *  2. after writing, the rebuild checks that it settled: D1's generation has not moved and KV,
 *     listed again, still holds every page at it (no key missing, older, or left over). If not,
 *     it runs again (up to MAX_ATTEMPTS).
 * Guard 1 is check-then-write, so an older rebuild that passed it can still write last, over
 * newer pages. Guard 2 is why that cannot last: whichever rebuild writes a key last checks
 * after that write, sees the older page and writes again. Checking only that D1 had not moved
 * was not enough: a rebuild whose check passed could be overwritten afterwards by an older one
 * on its last attempt (test/faults.test.ts, "a slow page write racing other pushes"). Re-reading
 * is chosen over a lock or a queue because KV has no conditional write and a Durable Object per
 * id would add a binding and a hop to every push. KV reads are consistent only within one
 * location (up to 60 s lag elsewhere), so two rebuilds in different locations can still both
 * settle on their own view; that, attempts exhausted under sustained contention (reported as
 * unsettled), and a write lost to the 1 write/s limit are converged by the scheduled repair
 * pass (src/pages/repair.ts), which rewrites every page missing or older than D1.
 *
 * Generations must only ever grow for a lower id: a future hard delete must keep the
 * package_registrations row, or pages of the old id would outrank the new one's.
 */
import { contentTag } from '../cachePolicy';
import type { Env } from '../env';
import { storedHiveOf, storedLinks, type HiveLevel } from '../links';
import { versionsIndex } from '../nuget/flatContainer';
import { registrationDocuments } from '../nuget/registration';
import type { PackageRegistration, PackageVersionRecord } from '../nuget/types';
import { findRegistration, lowerIdsAfter, registrationWithVersions } from '../store/packages';
import { pageKeys, type PageMetadata } from '../store/pages';

type PagesEnv = Pick<Env, 'DB' | 'PAGES'>;

/** `force` also rewrites pages of the current generation: after a deploy changed their shape. */
export interface RebuildOptions {
  force?: boolean;
}

const LEVELS: readonly HiveLevel[] = ['semver1', 'semver2'];
/** Passes per rebuild, a second apart: enough to outlast a burst of pushes of one id. */
const MAX_ATTEMPTS = 8;
/** KV accepts one write per second to a key; a retry rewrites the same keys. */
const RETRY_PAUSE_MS = 1_000;

interface StoredPage {
  name: string;
  generation: number;
  etag?: string;
}

/** What a rebuild changed: keys whose stored content now differs or that were removed (for purging caches). */
export interface RebuildResult {
  changed: string[];
}

interface Plan {
  put: string[];
  remove: string[];
}

/** Every page of one id at one D1 snapshot: KV key → JSON text. */
function pagesOf(registration: PackageRegistration, versions: readonly PackageVersionRecord[]): Map<string, string> {
  const pages = new Map<string, string>();
  const { lowerId } = registration;
  if (versions.length > 0) pages.set(pageKeys.versionsIndex(lowerId), JSON.stringify(versionsIndex(versions)));
  const links = storedLinks();
  for (const level of LEVELS) {
    const documents = registrationDocuments(links, storedHiveOf(level), registration, versions);
    if (!documents) continue;
    pages.set(pageKeys.registrationIndex(level, lowerId), JSON.stringify(documents.index));
    for (const page of documents.pages) {
      pages.set(pageKeys.registrationPage(level, lowerId, page.lower, page.upper), JSON.stringify(page));
    }
  }
  return pages;
}

/** What to write and delete so KV holds `pages` at `generation`, never touching newer keys. */
function planOf(pages: Map<string, string>, generation: number, stored: readonly StoredPage[], force: boolean): Plan {
  const storedGeneration = new Map(stored.map((page) => [page.name, page.generation]));
  const put = [...pages.keys()].filter((name) => {
    const have = storedGeneration.get(name);
    return have === undefined || have < generation || (force && have === generation);
  });
  const remove = stored.filter((page) => !pages.has(page.name) && page.generation <= generation).map((p) => p.name);
  return { put, remove };
}

function generationOf(metadata: unknown): number {
  return (metadata as PageMetadata | null)?.generation ?? -1;
}

async function listStored(kv: KVNamespace, prefix?: string): Promise<StoredPage[]> {
  const stored: StoredPage[] = [];
  let cursor: string | undefined;
  do {
    const page = await kv.list<PageMetadata>({ prefix, cursor });
    for (const key of page.keys) {
      stored.push({ name: key.name, generation: generationOf(key.metadata), etag: key.metadata?.etag });
    }
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  return stored;
}

/** The id's keys within a sorted listing of the whole namespace (binary search, then a run). */
function storedOfId(all: readonly StoredPage[], lowerId: string): StoredPage[] {
  const run = (prefix: string, exact: boolean) => {
    let low = 0;
    let high = all.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((all[middle]?.name ?? '') < prefix) low = middle + 1;
      else high = middle;
    }
    const found: StoredPage[] = [];
    for (let i = low; i < all.length && all[i]!.name.startsWith(prefix); i++) {
      if (!exact || all[i]!.name === prefix) found.push(all[i]!);
    }
    return found;
  };
  return [
    ...run(pageKeys.versionsIndex(lowerId), true),
    ...LEVELS.flatMap((level) => run(pageKeys.idPrefix(level, lowerId), false)),
  ];
}

async function storedPagesOfId(kv: KVNamespace, lowerId: string): Promise<StoredPage[]> {
  const [flat, ...levels] = await Promise.all([
    kv.getWithMetadata<PageMetadata>(pageKeys.versionsIndex(lowerId)),
    ...LEVELS.map((level) => listStored(kv, pageKeys.idPrefix(level, lowerId))),
  ]);
  const stored = levels.flat();
  if (flat.value !== null) {
    stored.push({
      name: pageKeys.versionsIndex(lowerId),
      generation: generationOf(flat.metadata),
      etag: flat.metadata?.etag,
    });
  }
  return stored;
}

interface Pass extends RebuildResult {
  /** The D1 generation it wrote; null when the id no longer exists. */
  generation: number | null;
  /** Every page of that generation: what KV must hold for the pass to have settled. */
  pages: Map<string, string>;
}

/** One pass: the D1 generation it wrote (null when the id no longer exists) and the keys it changed. */
async function rebuildOnce(env: PagesEnv, lowerId: string, force: boolean): Promise<Pass> {
  const [snapshot, stored] = await Promise.all([
    registrationWithVersions(env.DB, lowerId),
    storedPagesOfId(env.PAGES, lowerId),
  ]);
  // A vanished id leaves nothing behind, whatever generation its pages carry.
  const generation = snapshot?.registration.generation ?? Number.POSITIVE_INFINITY;
  const pages = snapshot ? pagesOf(snapshot.registration, snapshot.versions) : new Map<string, string>();
  const plan = planOf(pages, generation, stored, force);
  // The content hash is kept beside the page, so serving it with an ETag stays one KV read.
  const etags = new Map(
    await Promise.all(plan.put.map(async (name) => [name, await contentTag(pages.get(name) ?? '')] as const)),
  );
  await Promise.all([
    ...plan.put.map((name) => {
      const metadata: PageMetadata = { generation, etag: etags.get(name) };
      return env.PAGES.put(name, pages.get(name) ?? '', { metadata });
    }),
    ...plan.remove.map((name) => env.PAGES.delete(name)),
  ]);
  const storedEtags = new Map(stored.map((page) => [page.name, page.etag]));
  const changed = [...plan.put.filter((name) => storedEtags.get(name) !== etags.get(name)), ...plan.remove];
  return { generation: snapshot ? generation : null, pages, changed };
}

/** Guard 2 (see the header): D1 is still at the pass's generation and KV, read after its writes, holds it all. */
async function settled(env: PagesEnv, lowerId: string, pass: Pass): Promise<boolean> {
  const [registration, stored] = await Promise.all([
    findRegistration(env.DB, lowerId),
    storedPagesOfId(env.PAGES, lowerId),
  ]);
  if ((registration?.generation ?? null) !== pass.generation) return false;
  const plan = planOf(pass.pages, pass.generation ?? Number.POSITIVE_INFINITY, stored, false);
  return plan.put.length === 0 && plan.remove.length === 0;
}

/**
 * Brings one id's KV pages up to its current D1 state (see the header for concurrency).
 * `settled` is false when attempts ran out with KV still behind: the repair pass will finish.
 */
export async function rebuildPages(
  env: PagesEnv,
  lowerId: string,
  options: RebuildOptions = {},
): Promise<RebuildResult & { settled: boolean }> {
  const changed = new Set<string>();
  for (let attempt = 1; ; attempt++) {
    const built = await rebuildOnce(env, lowerId, options.force ?? false);
    for (const name of built.changed) changed.add(name);
    if (await settled(env, lowerId, built)) return { changed: [...changed], settled: true };
    if (attempt >= MAX_ATTEMPTS) return { changed: [...changed], settled: false };
    await new Promise((resolve) => setTimeout(resolve, RETRY_PAUSE_MS));
  }
}

export interface RebuildAllOptions extends RebuildOptions {
  /** Start after this lower id (exclusive); a previous call's `next`. */
  after?: string;
  /** At most this many ids in this call. */
  limit?: number;
}

export interface RebuildAllResult {
  checked: number;
  rebuilt: number;
  /** Pass as `after` to continue; null when every id was checked. */
  next: string | null;
}

/**
 * Checks ids in key order against one listing of the namespace (one KV operation per 1,000
 * keys, not several per id) and rebuilds only those with a page missing, older than D1, or left
 * over from an older page layout. A Worker invocation may make 1,000 KV operations: this keeps
 * the sweep within that for large feeds. The listing lags up to 60 s; a page it misses is caught
 * next time. Pages of ids D1 no longer has are not swept (the feed never hard-deletes an id).
 */
export async function rebuildAllPages(env: PagesEnv, options: RebuildAllOptions = {}): Promise<RebuildAllResult> {
  const force = options.force ?? false;
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const all = await listStored(env.PAGES);
  let after = options.after ?? '';
  let checked = 0;
  let rebuilt = 0;
  while (checked < limit) {
    const ids = await lowerIdsAfter(env.DB, after, Math.min(100, limit - checked));
    if (ids.length === 0) return { checked, rebuilt, next: null };
    for (const lowerId of ids) {
      const snapshot = await registrationWithVersions(env.DB, lowerId);
      const generation = snapshot?.registration.generation ?? Number.POSITIVE_INFINITY;
      const pages = snapshot ? pagesOf(snapshot.registration, snapshot.versions) : new Map<string, string>();
      const plan = planOf(pages, generation, storedOfId(all, lowerId), force);
      if (plan.put.length > 0 || plan.remove.length > 0) {
        await rebuildPages(env, lowerId, { force });
        rebuilt++;
      }
      checked++;
      after = lowerId;
    }
  }
  return { checked, rebuilt, next: after };
}
