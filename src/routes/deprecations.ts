/**
 * POST /admin/deprecations `{ id, versions, reasons, message?, alternatePackage? }` deprecates the
 * versions selected; DELETE /admin/deprecations?id=X&versions=R undeprecates them (`npx edgeget
 * deprecate|undeprecate`). Admin key only; the change is logged as the admin key's.
 */
import type { IRequest } from 'itty-router';
import { changeDeprecation } from '../admin/deprecate';
import type { Env } from '../env';
import { type DeprecationChange, parseDeprecationRequest, parseTarget } from '../nuget/deprecation';
import { type Failure, failureResponse, isFailure } from '../problems';
import { jsonResponse } from '../respond';
import { type AdminChange, adminRoute, queryValue } from './adminRequest';

async function respond(env: Env, cache: Cache, change: DeprecationChange | Failure, by: AdminChange) {
  if (isFailure(change)) return failureResponse(change);
  const result = await changeDeprecation(env, cache, { change, ...by });
  return isFailure(result) ? failureResponse(result) : jsonResponse(result);
}

export const deprecateVersions = adminRoute(async (request: IRequest, env, cache, by) =>
  respond(env, cache, parseDeprecationRequest(await request.json().catch(() => null)), by),
);

export const undeprecateVersions = adminRoute(async (request, env, cache, by) => {
  const target = parseTarget(queryValue(request, 'id'), queryValue(request, 'versions'));
  return respond(env, cache, isFailure(target) ? target : { ...target, deprecation: null }, by);
});
