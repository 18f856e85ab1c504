/**
 * GET /admin/upstream (`npx edgeget upstream status`) and DELETE /admin/upstream/{id}
 * (`npx edgeget upstream forget <id>`): what the pull-through upstream has cached, and dropping
 * an id's cached copy so that the id can be pushed here. Admin key only.
 */
import { parsePackageSegments } from '../linkParams';
import { isValidPackageId, lowerId } from '../nuget/packageId';
import { fail, failureResponse, isFailure } from '../problems';
import { jsonResponse } from '../respond';
import { findUpstreamPackage, upstreamStatus as storedStatus } from '../store/upstreamPackages';
import { upstreamCacheStub, upstreamFeedOf } from '../upstreamCache';
import { upstreamConfigOf } from '../upstreamFetches';
import { adminRoute } from './adminRequest';

const LISTED_IDS = 1000;
const LISTED_ERRORS = 20;

export const upstreamStatus = adminRoute(async (_request, env) => {
  const config = upstreamConfigOf(env);
  const configured = !isFailure(config);
  const [stored, breaker] = await Promise.all([
    storedStatus(env.DB, LISTED_IDS, LISTED_ERRORS),
    configured ? upstreamFeedOf(env).breaker() : null,
  ]);
  return jsonResponse({
    upstream: configured ? config.serviceIndex : null,
    ...(configured
      ? {
          versionsTtlSeconds: config.versionsTtlMs / 1000,
          timeoutSeconds: config.timeoutMs / 1000,
          reservedPrefixes: config.reserved.map((pattern) => pattern.text),
          search: config.search,
        }
      : { problem: config.failure === 'notFound' ? null : config.message }),
    breaker,
    ...stored,
  });
});

export const forgetUpstreamPackage = adminRoute(async (request, env) => {
  const named = parsePackageSegments(request.params);
  if (named === null || !isValidPackageId(named.id)) {
    return failureResponse(fail('badRequest', 'The URL must name a valid package id.'));
  }
  const id = lowerId(named.id);
  const row = await findUpstreamPackage(env.DB, id);
  // The object's storage goes too: an id it remembers as missing or local is looked up afresh.
  const { bytes } = await upstreamCacheStub(env, id).forget(id);
  if (row === null && bytes === 0) {
    return failureResponse(fail('notFound', `${named.id} is not cached from the upstream feed.`));
  }
  return jsonResponse({ id: named.id, forgotten: true, bytes: Math.max(bytes, row?.bytes ?? 0) });
});
