/**
 * POST /api/v2/token: trusted publishing's token exchange (src/auth/trustedPublishing.ts), at
 * nuget.org's path and with its answers, so NuGet/login needs only `token-service-url` and
 * `audience`. Every 401 carries `WWW-Authenticate: Bearer`; errors are `{ "error": … }`.
 */
import type { IRequest } from 'itty-router';
import { parseTokenBody, parseTokenHeaders } from '../auth/tokenRequest';
import { exchangeToken } from '../auth/trustedPublishing';
import type { Env } from '../env';
import { originOf } from '../links';
import { type Failure, failureResponse, isFailure } from '../problems';
import { boundedJson } from '../requestBody';
import { jsonResponse } from '../respond';

/** NuGet/login's body is a few dozen bytes; a larger one is not an exchange. */
const MAX_BODY_BYTES = 16_384;

function refused(failure: Failure): Response {
  const response = failureResponse(failure);
  if (response.status === 401) response.headers.set('WWW-Authenticate', 'Bearer');
  return response;
}

export async function createToken(
  request: IRequest,
  env: Env,
  _ctx: ExecutionContext,
  cache: Cache,
): Promise<Response> {
  const jwt = parseTokenHeaders(request.headers);
  if (isFailure(jwt)) return refused(jwt);
  const body = await boundedJson(request, MAX_BODY_BYTES, `The request body holds at most ${MAX_BODY_BYTES} bytes.`);
  if (isFailure(body)) return refused(body);
  const parsed = parseTokenBody(jwt, body.parsed ? body.json : null);
  if (isFailure(parsed)) return refused(parsed);
  const key = await exchangeToken(env, cache, { ...parsed, origin: originOf(request), now: new Date() });
  return isFailure(key) ? refused(key) : jsonResponse(key);
}
