/**
 * Search and autocomplete with UPSTREAM_SEARCH = "true": the local hits first, then, where the
 * page has room, the upstream's for ids that are neither local nor reserved (a local id always
 * wins), rewritten to this feed's URLs. The upstream is asked once per request, with the time
 * limit and the breaker of every upstream request; if it fails, the local hits are the answer.
 */
import type { Env } from '../env';
import { feedLinks, type Hive, hiveLevel } from '../links';
import { isReserved, type UpstreamConfig } from '../nuget/upstream';
import {
  hitId,
  mergeHits,
  upstreamHits,
  upstreamPairs,
  upstreamWindow,
  type UpstreamHits,
} from '../nuget/upstreamDocuments';
import { isFailure } from '../problems';
import { registrationsOf } from '../store/packages';
import { fetchUpstreamText } from '../store/upstreamFeed';
import { upstreamFeedOf } from '../upstreamCache';
import { upstreamConfigOf } from '../upstreamFetches';

const FORWARDED = ['q', 'prerelease', 'semVerLevel', 'packageType'];

/** `local` with the upstream's hits added; `local` itself when there is no room, no upstream search, or it failed. */
export async function withUpstreamHits<T, R extends UpstreamHits<T>>(
  env: Env,
  request: Request,
  resource: 'search' | 'autocomplete',
  local: R,
  page: { skip: number; take: number; hive: Hive },
): Promise<R> {
  const config = upstreamConfigOf(env);
  if (isFailure(config) || !config.search) return local;
  const window = upstreamWindow(page.skip, page.take, { totalHits: local.totalHits, shown: local.data.length });
  if (window === null) return local;
  try {
    const merged = await upstreamPage(env, config, request, resource, local, { ...page, window });
    return merged ? ({ ...local, ...merged } as R) : local;
  } catch (error) {
    console.error('upstream search failed', error);
    return local;
  }
}

async function upstreamPage<T>(
  env: Env,
  config: UpstreamConfig,
  request: Request,
  resource: 'search' | 'autocomplete',
  local: UpstreamHits<T>,
  page: { take: number; hive: Hive; window: { skip: number; take: number } },
): Promise<UpstreamHits<T> | null> {
  const resources = await upstreamFeedOf(env).resources();
  const base = isFailure(resources) ? undefined : resources[resource];
  if (isFailure(resources) || base === undefined) return null;
  const url = new URL(base);
  const asked = new URL(request.url).searchParams;
  for (const name of FORWARDED) {
    const value = asked.get(name);
    if (value !== null) url.searchParams.set(name, value);
  }
  url.searchParams.set('skip', String(page.window.skip));
  url.searchParams.set('take', String(page.window.take));
  const text = await fetchUpstreamText(config, url.href);
  const hits = typeof text === 'string' ? upstreamHits(text) : null;
  if (hits === null) return null;
  const ids = hits.data.map(hitId).filter((id) => id !== null);
  const localIds = new Set((await registrationsOf(env.DB, ids)).map((registration) => registration.lowerId));
  const pairs = upstreamPairs(resources, hiveLevel(page.hive), feedLinks(new URL(request.url).origin), page.hive);
  const mayShow = (lowerId: string) => !localIds.has(lowerId) && !isReserved(config, lowerId);
  return mergeHits(local, hits, mayShow, pairs, page.take);
}
