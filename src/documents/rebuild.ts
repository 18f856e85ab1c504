/**
 * Brings an id's KV documents up to D1, the truth: the flat version list and, per hive level, the
 * registration index and page documents. Which documents, and what to write and delete, is planned
 * in plan.ts (pure); this file reads D1 and KV, writes, and checks that it settled. Every
 * document carries the D1 generation of its own last change, so only documents KV holds older
 * than that are rebuilt: after a push, the flat list, both indexes and the page holding the
 * version. One D1 batch reads the id's flat list, one summary row per page and the full rows of
 * the pages its latest change stamped; a second reads the full rows of anything else the plan
 * needs. A push's rebuild (`since`) looks only at the documents its change touched: it writes
 * them, then reads them back one read each; the repair pass and rebuild-pages list the id's keys.
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
 *     a push's first pass skips this read (rebuildOnce says why);
 *  2. after writing, the rebuild checks that it settled: D1's generation has not moved and KV,
 *     read again, still holds every document at its generation (no key missing, older, or left
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
 * Generations must only ever grow for a lower id: a hard delete keeps the
 * package_registrations row, or pages of the old id would outrank the new one's.
 */
import { contentTag } from '../cachePolicy';
import type { Env } from '../env';
import { findRegistration, lowerIdsAfter } from '../store/packages';
import { listDocuments, documentsNamed, documentsOfId, writeDocuments, type StoredDocument } from '../store/documents';
import { convergePageSummaries } from '../store/registrationPages';
import { pageRecords, registrationSnapshot } from '../store/registrationReads';
import {
  changedKeys,
  changedSince,
  documentText,
  documentsOf,
  isEmptyPlan,
  pagesNeeded,
  planOf,
  storedOfId,
  type IdDocuments,
} from './plan';

type DocumentsEnv = Pick<Env, 'DB' | 'PAGES'>;

/** `force` also rewrites pages of the current generation: after a deploy changed their shape. */
export interface RebuildOptions {
  force?: boolean;
  /**
   * The generation the change just committed (push, unlist, relist): only documents D1 stamped at
   * it or later are read and written, one KV read each instead of two listings. A document left
   * older by an earlier rebuild that failed is the repair pass's to find.
   */
  since?: number;
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

/** What KV holds of `target`: the id's keys listed, or (a push's rebuild) only the target's, read one by one. */
function storedOf(env: DocumentsEnv, lowerId: string, target: IdDocuments, since?: number): Promise<StoredDocument[]> {
  return since === undefined
    ? documentsOfId(env.PAGES, lowerId)
    : documentsNamed(env.PAGES, [...target.documents.keys()]);
}

/**
 * One pass: the D1 generation it wrote (null when the id no longer exists) and the keys it changed.
 * A push's first pass reads nothing from KV before writing: its own change stamped every document
 * it targets, so KV can hold one at that generation only if a later change's rebuild wrote it,
 * and then both settle checks see the race and a second pass, which does read, converges.
 */
async function rebuildOnce(
  env: DocumentsEnv,
  lowerId: string,
  options: RebuildOptions,
  attempt: number,
): Promise<Pass> {
  const { force = false, since } = options;
  // A listing does not depend on the snapshot, so it runs beside it.
  const listing = since === undefined ? documentsOfId(env.PAGES, lowerId) : null;
  const read = await registrationSnapshot(env.DB, lowerId, { since });
  const all = documentsOf(read?.layout ?? null);
  const target = since === undefined ? all : changedSince(all, since);
  const stored = listing ? await listing : attempt === 1 ? [] : await storedOf(env, lowerId, target, since);
  const plan = planOf(target, stored, force);
  const texts = new Map<string, string>();
  if (read) {
    const { layout, changed } = read;
    const missing = pagesNeeded(target, plan.put).filter((page) => !changed.pageVersions.has(page));
    const more = missing.length > 0 ? await pageRecords(env.DB, lowerId, missing) : null;
    // A change landed between the two reads: this pass would mix two states, so it writes nothing
    // and the next pass starts from a new snapshot.
    if (more && more.generation !== layout.registration.generation) return { generation: null, target, changed: [] };
    const content = {
      records: new Map([...changed.records, ...(more?.records ?? [])]),
      catalogLeaves: new Map([...changed.catalogLeaves, ...(more?.catalogLeaves ?? [])]),
      pageVersions: new Map([...changed.pageVersions, ...(more?.pageVersions ?? [])]),
      advisories: read.advisories,
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
async function settled(env: DocumentsEnv, lowerId: string, pass: Pass, since?: number): Promise<boolean> {
  const [registration, stored] = await Promise.all([
    findRegistration(env.DB, lowerId),
    storedOf(env, lowerId, pass.target, since),
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
  // A bulk load leaves pages without summaries; a push keeps its own pages' summaries.
  if (options.since === undefined) await convergePageSummaries(env.DB, lowerId, lowerId);
  const changed = new Set<string>();
  for (let attempt = 1; ; attempt++) {
    const built = await rebuildOnce(env, lowerId, options, attempt);
    for (const name of built.changed) changed.add(name);
    if (await settled(env, lowerId, built, options.since)) return { changed: [...changed], settled: true };
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
 * next time. A hard delete keeps the id's registration row, so every id with documents is swept.
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
    await convergePageSummaries(env.DB, ids[0]!, ids.at(-1)!);
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
