/**
 * DELETE /admin/packages/{id}[/{version}][?allowReuse=true]: hard delete of one version, or of
 * every version of an id (`npx edgeget delete … --hard`). Admin key only; `dotnet nuget delete`
 * keeps meaning unlist (routes/publish.ts).
 */
import type { IRequest } from 'itty-router';
import { hardDelete } from '../admin/deletePackages';
import { fail, failureResponse, isFailure } from '../problems';
import { jsonResponse } from '../respond';
import { adminRoute, queryValue } from './adminRequest';

/** The router leaves segments percent-encoded. */
function segment(raw: string | undefined): string | null {
  try {
    return raw === undefined ? null : decodeURIComponent(raw);
  } catch {
    return null;
  }
}

export const deletePackage = adminRoute(async (request: IRequest, env, cache, by) => {
  const id = segment(request.params.id);
  const version = request.params.version === undefined ? null : segment(request.params.version);
  if (id === null || (request.params.version !== undefined && version === null)) {
    return failureResponse(fail('badRequest', 'The package id and version in the URL are not validly escaped.'));
  }
  const reuse = queryValue(request, 'allowReuse');
  if (reuse !== undefined && reuse !== 'true' && reuse !== 'false') {
    return failureResponse(fail('badRequest', 'allowReuse must be true or false.'));
  }
  const result = await hardDelete(env, cache, { id, version, allowReuse: reuse === 'true', ...by });
  return isFailure(result) ? failureResponse(result) : jsonResponse(result);
});
