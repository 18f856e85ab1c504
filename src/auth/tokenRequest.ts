/**
 * The request NuGet/login sends to POST /api/v2/token (`Authorization: Bearer <OIDC token>`,
 * JSON `{ "username", "tokenType": "ApiKey" }`), checked in nuget.org's order and with its
 * messages, so the action's error line reads the same against either server.
 */
import { fail, type Failure } from '../problems';

export interface TokenRequest {
  jwt: string;
  username: string;
}

/** Headers first: a request without a usable token is refused before its body is read. */
export function parseTokenHeaders(headers: Headers): string | Failure {
  const authorization = headers.get('Authorization');
  if (authorization === null) return fail('unauthorized', 'The Authorization header is missing.');
  // Two headers reach a Worker joined by a comma, which a token never contains.
  if (authorization.includes(',')) return fail('unauthorized', 'Only one Authorization header is allowed.');
  // A header "Bearer " reaches the Worker trimmed to "Bearer": the scheme with no token after it.
  if (!/^bearer(\s|$)/i.test(authorization)) {
    return fail('unauthorized', "The Authorization header value must start with 'Bearer '.");
  }
  const jwt = authorization.slice('bearer'.length).trim();
  if (jwt === '') return fail('unauthorized', 'The bearer token is missing from the Authorization header.');
  const mediaType = (headers.get('Content-Type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'application/json')
    return fail('unsupportedMediaType', "The request must have a Content-Type of 'application/json'.");
  if (!headers.get('User-Agent')) return fail('badRequest', 'A User-Agent header is required.');
  return jwt;
}

export function parseTokenBody(jwt: string, body: unknown): TokenRequest | Failure {
  const { username, tokenType } = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  if (typeof username !== 'string' || username.trim() === '') {
    return fail('badRequest', 'The username property in the request body is required.');
  }
  if (tokenType !== 'ApiKey') {
    return fail('badRequest', "The tokenType property in the request body is required and must set to 'ApiKey'.");
  }
  return { jwt, username: username.trim() };
}
