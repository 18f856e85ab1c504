/**
 * What every admin route of the operator CLI shares: only the feed's admin key gets in, and a
 * change it makes is recorded as that key's, at the request's time, with the request's origin
 * (whose edge-cached documents the change purges).
 */
import type { IRequest } from 'itty-router';
import { authenticate } from '../auth';
import type { Env } from '../env';
import { originOf } from '../links';
import { failureResponse } from '../problems';

/** The audit log's name for the feed's admin key (NUGET_API_KEY), the only key the admin API accepts. */
export const ADMIN_ACTOR = 'admin';

/** Who makes a change, when, and through which origin. */
export interface AdminChange {
  actor: string;
  now: Date;
  origin: string;
}

type AdminHandler = (request: IRequest, env: Env, cache: Cache, change: AdminChange) => Promise<Response>;

/** The route, behind the admin key check (before any body is read). */
export function adminRoute(handler: AdminHandler) {
  return async (request: IRequest, env: Env, _ctx: ExecutionContext, cache: Cache): Promise<Response> => {
    const refused = await authenticate(request, env);
    if (refused) return failureResponse(refused);
    return handler(request, env, cache, { actor: ADMIN_ACTOR, now: new Date(), origin: originOf(request) });
  };
}

/** A query parameter's first value; undefined when absent. */
export function queryValue(request: IRequest, name: string): string | undefined {
  const value = request.query[name];
  return Array.isArray(value) ? value[0] : value;
}
