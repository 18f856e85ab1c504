import type { IRequest } from 'itty-router';
import type { Env } from '../env';
import { feedLinks, originOf } from '../links';
import { searchResponse } from '../nuget/search';
import { parseSearchParameters, parseSearchQuery } from '../nuget/searchQuery';
import { jsonResponse } from '../respond';
import { searchPackages } from '../store/search';
import { withUpstreamHits } from './upstreamSearch';

/** GET /v3/query (protocol §5). Never cached by the client; always read from D1. */
export async function search(request: IRequest, env: Env): Promise<Response> {
  const params = parseSearchParameters(new URL(request.url).searchParams);
  const page = await searchPackages(env.DB, parseSearchQuery(params.q), params, params);
  const hive = params.semVer2 ? 'semver2-gz' : 'semver1';
  const local = searchResponse(feedLinks(originOf(request)), hive, page.totalHits, page.packages);
  return jsonResponse(await withUpstreamHits(env, request, 'search', local, { ...params, hive }));
}
