/**
 * DELETE /admin/packages/{id}[/{version}][?allowReuse=true]: hard delete of one version, or of
 * every version of an id (`npx edgeget delete … --hard`). Admin key only; `dotnet nuget delete`
 * keeps meaning unlist (routes/publish.ts).
 */
import type { IRequest } from 'itty-router';
import { hardDelete } from '../admin/deletePackages';
import type { Env } from '../env';
import { parsePackageSegments } from '../linkParams';
import { fail, failureResponse, isFailure } from '../problems';
import { jsonResponse } from '../respond';
import { type AdminChange, adminRoute, queryValue } from './adminRequest';

export const NOT_ESCAPED = fail('badRequest', 'The package id and version in the URL are not validly escaped.');

/** The delete a request names, made by `by`: the admin route's, or the V2 route's once it saw the admin key. */
export async function deleteNamedPackage(
  request: IRequest,
  env: Env,
  cache: Cache,
  by: AdminChange,
): Promise<Response> {
  const named = parsePackageSegments(request.params);
  if (named === null) return failureResponse(NOT_ESCAPED);
  const { id, version } = named;
  const reuse = queryValue(request, 'allowReuse');
  if (reuse !== undefined && reuse !== 'true' && reuse !== 'false') {
    return failureResponse(fail('badRequest', 'allowReuse must be true or false.'));
  }
  const result = await hardDelete(env, cache, { id, version, allowReuse: reuse === 'true', ...by });
  return isFailure(result) ? failureResponse(result) : jsonResponse(result);
}

export const deletePackage = adminRoute(deleteNamedPackage);
