/**
 * The last step of every change (push, unlist, relist): once the D1 row is committed the change
 * has succeeded, and its KV documents are derived (house rule 4). Documents that failed to rebuild, or did
 * not settle under contention, are converged by the scheduled repair pass (src/documents/repair.ts).
 */
import type { Env } from '../env';
import { purgePackageCache } from '../store/edgeCache';
import { rebuildDocuments } from './rebuild';

const DOCUMENTS_BEHIND =
  'The change is saved, but the feed pages are not yet updated; they will catch up within 30 minutes.';

/**
 * Rebuilds the id's documents, then purges the ones that changed from `cache` for `origin` (the
 * write request's) in this data centre (src/store/edgeCache.ts). `since`: the generation the
 * change committed, when known (rebuild.ts, RebuildOptions). Never fails: its warnings go to
 * X-NuGet-Warning (protocol §11.6).
 */
export async function refreshDocuments(
  env: Pick<Env, 'DB' | 'PAGES'>,
  cache: Cache,
  lowerId: string,
  origin: string,
  since?: number,
): Promise<string[]> {
  try {
    const { settled, changed } = await rebuildDocuments(env, lowerId, { since });
    await purgePackageCache(cache, origin, changed);
    if (!settled) console.error('page rebuild did not settle after a committed change', lowerId);
    return settled ? [] : [DOCUMENTS_BEHIND];
  } catch (error) {
    console.error('page rebuild failed after a committed change', lowerId, error);
    return [DOCUMENTS_BEHIND];
  }
}
