import type { IRequest } from 'itty-router';
import type { Env } from '../env';
import { autocompleteIds, autocompleteVersions } from '../nuget/autocomplete';
import { parseSearchParameters } from '../nuget/searchQuery';
import { jsonResponse } from '../respond';
import { autocompleteCandidates, eligibleVersionStrings } from '../store/search';
import { withUpstreamHits } from './upstreamSearch';

/** GET /v3/autocomplete (protocol §6): version mode for `id=` without `q`, id mode otherwise. */
export async function autocomplete(request: IRequest, env: Env): Promise<Response> {
  const searchParams = new URL(request.url).searchParams;
  const params = parseSearchParameters(searchParams);
  const id = searchParams.get('id');
  if (!searchParams.has('q') && id !== null) {
    const versions = await eligibleVersionStrings(env.DB, id.trim().toLowerCase(), params);
    return jsonResponse(autocompleteVersions(versions, params.semVer2));
  }
  const candidates = await autocompleteCandidates(env.DB, params.q.toLowerCase(), params, params.packageType);
  const local = autocompleteIds(candidates, params.q, params.skip, params.take);
  const hive = params.semVer2 ? 'semver2-gz' : 'semver1';
  return jsonResponse(await withUpstreamHits(env, request, 'autocomplete', local, { ...params, hive }));
}
