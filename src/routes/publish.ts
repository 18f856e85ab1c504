/**
 * PackagePublish/2.0.0 (protocol §2): push, unlist (DELETE) and relist (POST). Every request is
 * authenticated before its body is read (§2.4 step 1).
 */
import type { IRequest } from 'itty-router';
import { authenticatePublisher } from '../auth';
import type { Env } from '../env';
import { parsePackageSegments } from '../linkParams';
import { originOf } from '../links';
import { setListed } from '../push/listing';
import { publishPackage } from '../push/publishPackage';
import { uploadLimits } from '../push/upload';
import { ADMIN_GRANT } from '../nuget/keyScopes';
import { fail, failureResponse, isFailure } from '../problems';
import { ADMIN_ACTOR } from './adminRequest';
import { deleteNamedPackage, NOT_ESCAPED } from './deletions';

/** PUT {base}/ : 201 once the package is durable and visible in D1 (§2.3). */
export async function pushPackage(
  request: IRequest,
  env: Env,
  _ctx: ExecutionContext,
  cache: Cache,
): Promise<Response> {
  const now = new Date();
  const publisher = await authenticatePublisher(request, env, now);
  if (isFailure(publisher)) return failureResponse(publisher);
  const result = await publishPackage(env, cache, request, { now, limits: uploadLimits(env), publisher });
  return isFailure(result) ? failureResponse(result) : withWarnings(201, result.warnings);
}

/**
 * DELETE {base}/{id}/{version}: unlists; 204 (§2.5). `?hardDelete=true` (nuget.org's admin
 * parameter) deletes for real, and only with the admin key: a scoped key that asks is refused
 * rather than quietly unlisting.
 */
export async function unlistPackage(
  request: IRequest,
  env: Env,
  _ctx: ExecutionContext,
  cache: Cache,
): Promise<Response> {
  if (request.query.hardDelete !== 'true') return changeListing(request, env, cache, false, 204);
  const now = new Date();
  const publisher = await authenticatePublisher(request, env, now);
  if (isFailure(publisher)) return failureResponse(publisher);
  if (publisher !== ADMIN_GRANT) {
    return failureResponse(
      fail('forbidden', 'A hard delete needs the admin key (npx edgeget delete <id> <version> --hard).'),
    );
  }
  const deleted = await deleteNamedPackage(request, env, cache, { actor: ADMIN_ACTOR, now, origin: originOf(request) });
  return deleted.ok ? new Response(null, { status: 204 }) : deleted;
}

/** POST {base}/{id}/{version}: relists; 200 (§2.5). */
export function relistPackage(request: IRequest, env: Env, _ctx: ExecutionContext, cache: Cache): Promise<Response> {
  return changeListing(request, env, cache, true, 200);
}

async function changeListing(
  request: IRequest,
  env: Env,
  cache: Cache,
  listed: boolean,
  status: number,
): Promise<Response> {
  const now = new Date();
  const publisher = await authenticatePublisher(request, env, now);
  if (isFailure(publisher)) return failureResponse(publisher);
  const named = parsePackageSegments(request.params);
  if (named === null) return failureResponse(NOT_ESCAPED);
  // The route's pattern always has a version segment.
  const version = named.version ?? '';
  const result = await setListed(env, cache, {
    publisher,
    id: named.id,
    version,
    listed,
    now,
    origin: originOf(request),
  });
  return isFailure(result) ? failureResponse(result) : withWarnings(status, result.warnings);
}

/** nuget.org answers a push with an empty body; messages go in X-NuGet-Warning (§11.6). */
function withWarnings(status: number, warnings: string[]): Response {
  const headers = new Headers();
  for (const warning of warnings) headers.append('X-NuGet-Warning', warning);
  return new Response(null, { status, headers });
}
