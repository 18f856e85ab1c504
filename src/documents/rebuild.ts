/**
 * Brings an id's KV documents up to D1, the truth: the flat version list and, per hive level, the
 * registration index and page documents. Which documents, and what to write and delete, is planned
 * in plan.ts (pure); this file reads D1 and KV, writes, and checks that it settled. Every
 * document carries the D1 generation of its own last change, so only documents KV holds older
 * than that are rebuilt: after a push, the flat list, both indexes and the page holding the
 * version. One D1 batch reads the id's short version rows and the full rows of the pages its
 * latest change stamped; a second reads the full rows of anything else the plan needs.
 *
 * Leaf documents are not stored. They are derived from the stored index or page on request
 * (src/routes/registration.ts): that costs a leaf request one or two KV reads, but saves a KV
 * write per version on every change (KV allows 1 write/s per key and, on the free plan, 1,000
 * writes a day), and a leaf can never disagree with its page.
 *
 * Concurrency. KV has no compare-and-set (docs/platform.md §3), and two changes of the
 * same id can rebuild at once: the slower rebuild, holding the older D1 snapshot, could write
 * last and leave old pages. Two guards:
 *  1. every document carries the generation of its last change in the D1 snapshot it was built
 *     from, and a key whose stored generation is already >= that is not written (nor deleted);
 *  2. after writing, the rebuild checks that it settled: D1's generation has not moved and KV,
 *     listed again, still holds every document at its generation (no key missing, older, or left
 *     over). If not, it runs again (up to MAX_ATTEMPTS).
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
 * pass (src/documents/repair.ts), which rewrites every page missing or older than D1.
 *
 * Generations must only ever grow for a lower id: a future hard delete must keep the
 * package_registrations row, or pages of the old id would outrank the new one's.
 */
import { contentTag } from '../cachePolicy';
import type { Env } from '../env';
import { findRegistration, lowerIdsAfter } from '../store/packages';
import { listDocuments, documentsOfId, writeDocuments } from '../store/documents';
import { registrationSnapshot, versionRecords } from '../store/registrationPages';
import {
  changedKeys,
  documentText,
  documentsOf,
  isEmptyPlan,
  planOf,
  storedOfId,
  versionsNeeded,
  type IdDocuments,
} from './plan';

type DocumentsEnv = Pick<Env, 'DB' | 'PAGES'>;

/** `force` also rewrites pages of the current generation: after a deploy changed their shape. */
export interface RebuildOptions {
  force?: boolean;
}

/** Passes per rebuild, a second apart: enough to outlast a burst of pushes of one id. */
const MAX_ATTEMPTS = 8;
/** KV accepts one write per second to a key; a retry rewrites the same keys. */
const RETRY_PAUSE_MS = 1_000;

/** What a rebuild changed: keys whose stored content now differs or that were removed (for purging caches). */
export interface RebuildResult {
  changed: string[];
}

interface Pass extends RebuildResult {
  /** The D1 generation it wrote; null when the id no longer exists. */
  generation: number | null;
  /** Every document at its generation: what KV must hold for the pass to have settled. */
  target: IdDocuments;
}

/** One pass: the D1 generation it wrote (null when the id no longer exists) and the keys it changed. */
async function rebuildOnce(env: DocumentsEnv, lowerId: string, force: boolean): Promise<Pass> {
  const [read, stored] = await Promise.all([
    registrationSnapshot(env.DB, lowerId, true),
    documentsOfId(env.PAGES, lowerId),
  ]);
  const target = documentsOf(read?.layout ?? null);
  const plan = planOf(target, stored, force);
  const texts = new Map<string, string>();
  if (read) {
    const { layout, changed } = read;
    const missing = versionsNeeded(target, plan.put).filter((version) => !changed.records.has(version));
    const more = await versionRecords(env.DB, lowerId, missing);
    const content = {
      records: new Map([...changed.records, ...more.records]),
      catalogLeaves: new Map([...changed.catalogLeaves, ...more.catalogLeaves]),
    };
    for (const name of plan.put) texts.set(name, documentText(target.documents.get(name)!, layout, content));
  }
  // The content hash is kept beside the document, so serving it with an ETag stays one KV read.
  const etags = new Map(
    await Promise.all([...texts].map(async ([name, text]) => [name, await contentTag(text)] as const)),
  );
  const puts = [...texts].map(([name, text]) => ({
    name,
    text,
    metadata: { generation: target.documents.get(name)!.generation, etag: etags.get(name) },
  }));
  await writeDocuments(env.PAGES, puts, plan.remove);
  return { generation: read ? target.generation : null, target, changed: changedKeys(plan, stored, etags) };
}

/** Guard 2 (see the header): D1 is still at the pass's generation and KV, read after its writes, holds it all. */
async function settled(env: DocumentsEnv, lowerId: string, pass: Pass): Promise<boolean> {
  const [registration, stored] = await Promise.all([
    findRegistration(env.DB, lowerId),
    documentsOfId(env.PAGES, lowerId),
  ]);
  if ((registration?.generation ?? null) !== pass.generation) return false;
  return isEmptyPlan(planOf(pass.target, stored, false));
}

/**
 * Brings one id's KV documents up to its current D1 state (see the header for concurrency).
 * `settled` is false when attempts ran out with KV still behind: the repair pass will finish.
 */
export async function rebuildDocuments(
  env: DocumentsEnv,
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
export async function rebuildAllDocuments(
  env: DocumentsEnv,
  options: RebuildAllOptions = {},
): Promise<RebuildAllResult> {
  const force = options.force ?? false;
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const all = await listDocuments(env.PAGES);
  let after = options.after ?? '';
  let checked = 0;
  let rebuilt = 0;
  while (checked < limit) {
    const ids = await lowerIdsAfter(env.DB, after, Math.min(100, limit - checked));
    if (ids.length === 0) return { checked, rebuilt, next: null };
    for (const lowerId of ids) {
      const target = documentsOf((await registrationSnapshot(env.DB, lowerId, false))?.layout ?? null);
      if (!isEmptyPlan(planOf(target, storedOfId(all, lowerId), force))) {
        await rebuildDocuments(env, lowerId, { force });
        rebuilt++;
      }
      checked++;
      after = lowerId;
    }
  }
  return { checked, rebuilt, next: after };
}
