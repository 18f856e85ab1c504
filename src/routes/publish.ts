/**
 * PackagePublish/2.0.0 (protocol §2): push, unlist (DELETE) and relist (POST). Every request is
 * authenticated before its body is read (§2.4 step 1).
 */
import type { IRequest } from 'itty-router';
import { authenticatePublisher } from '../auth';
import type { Env } from '../env';
import { originOf } from '../links';
import { setListed } from '../push/listing';
import { publishPackage } from '../push/publishPackage';
import { uploadLimits } from '../push/upload';
import { ADMIN_GRANT } from '../nuget/keyScopes';
import { fail, failureResponse, isFailure } from '../problems';
import { deletePackage } from './deletions';

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
  ctx: ExecutionContext,
  cache: Cache,
): Promise<Response> {
  if (request.query.hardDelete !== 'true') return changeListing(request, env, cache, false, 204);
  const publisher = await authenticatePublisher(request, env, new Date());
  if (isFailure(publisher)) return failureResponse(publisher);
  if (publisher !== ADMIN_GRANT) {
    return failureResponse(
      fail('forbidden', 'A hard delete needs the admin key (npx edgeget delete <id> <version> --hard).'),
    );
  }
  const deleted = await deletePackage(request, env, ctx, cache);
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
  const id = pathSegment(request.params.id);
  const version = pathSegment(request.params.version);
  if (id === null || version === null) {
    return failureResponse(fail('badRequest', 'The package id and version in the URL are not validly escaped.'));
  }
  const result = await setListed(env, cache, { publisher, id, version, listed, now, origin: originOf(request) });
  return isFailure(result) ? failureResponse(result) : withWarnings(status, result.warnings);
}

/** The router leaves segments percent-encoded; the client escapes what the user typed. */
function pathSegment(raw: string | undefined): string | null {
  try {
    return decodeURIComponent(raw ?? '');
  } catch {
    return null;
  }
}

/** nuget.org answers a push with an empty body; messages go in X-NuGet-Warning (§11.6). */
function withWarnings(status: number, warnings: string[]): Response {
  const headers = new Headers();
  for (const warning of warnings) headers.append('X-NuGet-Warning', warning);
  return new Response(null, { status, headers });
}
