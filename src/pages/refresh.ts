/**
 * The last step of every change (push, unlist, relist): once the D1 row is committed the change
 * has succeeded, and its KV pages are derived (house rule 4). Pages that failed to rebuild, or did
 * not settle under contention, are converged by the scheduled repair pass (src/pages/repair.ts).
 */
import type { Env } from '../env';
import { purgePackageCache } from '../store/edgeCache';
import { rebuildPages } from './rebuild';

const PAGES_BEHIND =
  'The change is saved, but the feed pages are not yet updated; they will catch up within 30 minutes.';

/**
 * Rebuilds the id's pages, then purges the ones that changed from `cache` for `origin` (the
 * write request's) in this data centre (src/store/edgeCache.ts). Never fails: its warnings go
 * to X-NuGet-Warning (protocol §11.6).
 */
export async function refreshPages(
  env: Pick<Env, 'DB' | 'PAGES'>,
  cache: Cache,
  lowerId: string,
  origin: string,
): Promise<string[]> {
  try {
    const { settled, changed } = await rebuildPages(env, lowerId);
    await purgePackageCache(cache, origin, changed);
    if (!settled) console.error('page rebuild did not settle after a committed change', lowerId);
    return settled ? [] : [PAGES_BEHIND];
  } catch (error) {
    console.error('page rebuild failed after a committed change', lowerId, error);
    return [PAGES_BEHIND];
  }
}
