/**
 * Rebuilds an id's KV pages from D1, the truth: the flat version list and, per hive level, the
 * registration index and page documents, built against STORED_ORIGIN (src/links.ts).
 *
 * Leaf documents are not stored. They are derived from the stored index or page on request
 * (src/routes/registration.ts): that costs a leaf request one or two KV reads, but saves a KV
 * write per version on every change (KV allows 1 write/s per key and, on the free plan, 1,000
 * writes a day), and a leaf can never disagree with its page.
 *
 * Concurrency. KV has no compare-and-set (cloudflare-platform.md §3), and two changes of the
 * same id can rebuild at once: the slower rebuild, holding the older D1 snapshot, could write
 * last and leave old pages. Two guards:
 *  1. every page carries the D1 generation it was built from, and a key whose stored
 *     generation is already >= ours is not written (nor deleted);
 *  2. after writing, the generation is read again from D1; if it moved, the rebuild runs again
 *     (a few times at most; the change that moved it runs its own rebuild as well).
 * Guard 1 reads KV, which is consistent only within one location and lags up to 60 s
 * elsewhere, so two rebuilds in different locations can both pass it and the older one still
 * write last. Guard 2 closes most of that window: whichever rebuild writes last re-reads D1
 * after its write and, seeing a newer generation, writes again. What remains (retries
 * exhausted, a KV write lost to the 1 write/s limit, KV's own replication order) is converged
 * by the scheduled repair pass (src/pages/repair.ts), which rewrites every page that is missing
 * or older than D1.
 *
 * Generations must only ever grow for a lower id: a future hard delete must keep the
 * package_registrations row, or pages of the old id would outrank the new one's.
 */
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
const MAX_ATTEMPTS = 3;
/** KV accepts one write per second to a key; a retry rewrites the same keys. */
const RETRY_PAUSE_MS = 1_000;

interface StoredPage {
  name: string;
  generation: number;
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
    for (const key of page.keys) stored.push({ name: key.name, generation: generationOf(key.metadata) });
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
  if (flat.value !== null) stored.push({ name: pageKeys.versionsIndex(lowerId), generation: generationOf(flat.metadata) });
  return stored;
}

/** One pass: the D1 generation it wrote, or null when the id no longer exists. */
async function rebuildOnce(env: PagesEnv, lowerId: string, force: boolean): Promise<number | null> {
  const [snapshot, stored] = await Promise.all([
    registrationWithVersions(env.DB, lowerId),
    storedPagesOfId(env.PAGES, lowerId),
  ]);
  // A vanished id leaves nothing behind, whatever generation its pages carry.
  const generation = snapshot?.registration.generation ?? Number.POSITIVE_INFINITY;
  const pages = snapshot ? pagesOf(snapshot.registration, snapshot.versions) : new Map<string, string>();
  const plan = planOf(pages, generation, stored, force);
  const metadata: PageMetadata = { generation };
  await Promise.all([
    ...plan.put.map((name) => env.PAGES.put(name, pages.get(name) ?? '', { metadata })),
    ...plan.remove.map((name) => env.PAGES.delete(name)),
  ]);
  return snapshot ? generation : null;
}

/** Brings one id's KV pages up to its current D1 state (see the header for concurrency). */
export async function rebuildPages(env: PagesEnv, lowerId: string, options: RebuildOptions = {}): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const built = await rebuildOnce(env, lowerId, options.force ?? false);
    const current = (await findRegistration(env.DB, lowerId))?.generation ?? null;
    if (current === built || attempt >= MAX_ATTEMPTS) return;
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
