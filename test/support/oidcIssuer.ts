/**
 * A stand-in for GitHub Actions' OIDC issuer in worker tests: real RS256 keys made with WebCrypto,
 * tokens signed with them, and the issuer's discovery document and JWKS answered by a stub of the
 * global `fetch` (the Worker runs in the tests' isolate, so its outbound fetches reach the stub).
 * Only the network is stood in for: the Worker verifies real signatures against the served keys.
 */
import { env, exports } from 'cloudflare:workers';
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { afterAll, beforeAll, expect, type MockInstance, vi } from 'vitest';
import type { Env } from '../../src/env';
import worker from '../../src/index';
import { admin } from './adminApi';
import { buildNupkg, FEED, pushRequest } from './nupkg';

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';
export const discoveryUrl = (issuer: string) => `${issuer}/.well-known/openid-configuration`;
export const jwksUrl = (issuer: string) => `${issuer}/.well-known/jwks`;
export const DISCOVERY_URL = discoveryUrl(GITHUB_ISSUER);
export const JWKS_URL = jwksUrl(GITHUB_ISSUER);

/** JWT claims; a claim set to `undefined` is left out of the token. */
export type Claims = Record<string, unknown>;

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  /** The public key as the JWKS lists it. */
  jwk: JsonWebKey & { kid: string; x5t?: string };
}

const text = new TextEncoder();
export const b64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
export const b64json = (value: unknown) => b64url(text.encode(JSON.stringify(value)));

export async function signingKey(kid: string): Promise<SigningKey> {
  const pair = (await crypto.subtle.generateKey(
    { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
    true,
    ['sign', 'verify'],
  )) as CryptoKeyPair;
  const { n, e } = (await crypto.subtle.exportKey('jwk', pair.publicKey)) as JsonWebKey;
  // Shaped like GitHub's JWKS entries, whose extra members (use, alg, x5t…) the Worker must ignore.
  return { kid, privateKey: pair.privateKey, jwk: { kty: 'RSA', kid, n, e, alg: 'RS256', use: 'sig', x5t: 'x' } };
}

/** A compact JWS over `header` and `claims`, signed with `key` (RS256, PKCS#1 v1.5). */
export async function signJwt(key: SigningKey, claims: Claims, header: Claims = {}): Promise<string> {
  const input = `${b64json({ alg: 'RS256', typ: 'JWT', kid: key.kid, ...header })}.${b64json(claims)}`;
  const signature = await crypto.subtle.sign('RSASSA-PKCS1-v1_5', key.privateKey, text.encode(input));
  return `${input}.${b64url(new Uint8Array(signature))}`;
}

/** An unsigned token (`alg: none`, empty signature), as an attacker would send it. */
export function unsignedJwt(claims: Claims): string {
  return `${b64json({ alg: 'none', typ: 'JWT' })}.${b64json(claims)}.`;
}

let tokenCount = 0;

/**
 * The claims of a GitHub Actions token for a push to `contoso/widgets`' main branch by workflow
 * release.yml, valid now, for the feed's own origin; `overrides` replace or (with undefined) drop claims.
 */
export function githubClaims(overrides: Claims = {}): Claims {
  const now = Math.floor(Date.now() / 1000);
  const repository = typeof overrides.repository === 'string' ? overrides.repository : 'contoso/widgets';
  const claims: Claims = {
    jti: `jti-${crypto.randomUUID()}-${++tokenCount}`,
    sub: `repo:${repository}:ref:refs/heads/main`,
    aud: FEED,
    ref: 'refs/heads/main',
    sha: 'a'.repeat(40),
    repository,
    repository_owner: repository.split('/')[0],
    repository_owner_id: '1001',
    repository_id: '2002',
    repository_visibility: 'public',
    run_id: '1',
    actor: 'octocat',
    event_name: 'push',
    workflow: 'Release',
    job_workflow_ref: `${repository}/.github/workflows/release.yml@refs/heads/main`,
    runner_environment: 'github-hosted',
    iss: GITHUB_ISSUER,
    nbf: now - 300,
    iat: now - 5,
    exp: now + 300,
    ...overrides,
  };
  for (const [name, value] of Object.entries(claims)) if (value === undefined) delete claims[name];
  return claims;
}

export interface StubbedIssuer {
  /** The keys the JWKS serves now; tests rotate by changing it. */
  keys: SigningKey[];
  /** Every URL the Worker fetched from the issuer, in order. */
  fetched: string[];
  /** Replaces the answers: status and body per URL (unlisted URLs answer 404). */
  answers: Map<string, () => Response>;
  restore(): void;
}

/**
 * Stubs the global fetch so `issuer`'s discovery document and JWKS are answered from `keys`. The
 * stub is this test file's own, but the Cache API the Worker keeps the keys in is shared by the
 * test files running at once: a file whose tests depend on that cache should be the only one
 * using its issuer (configure another with OIDC_ISSUER in `vars`).
 */
export function stubIssuer(keys: SigningKey[], issuerUrl = GITHUB_ISSUER): StubbedIssuer {
  const issuer: StubbedIssuer = {
    keys,
    fetched: [],
    answers: new Map(),
    restore: () => spy.mockRestore(),
  };
  const json = (body: unknown) =>
    new Response(JSON.stringify(body), { headers: { 'Content-Type': 'application/json' } });
  issuer.answers.set(discoveryUrl(issuerUrl), () => json({ issuer: issuerUrl, jwks_uri: jwksUrl(issuerUrl) }));
  issuer.answers.set(jwksUrl(issuerUrl), () => json({ keys: issuer.keys.map((key) => key.jwk) }));
  const spy: MockInstance<typeof fetch> = vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const url = new Request(input, init).url;
    issuer.fetched.push(url);
    const answer = issuer.answers.get(url);
    return answer ? answer() : new Response('not found', { status: 404 });
  });
  return issuer;
}

/**
 * The Cache API entry the Worker keeps the issuer's keys in (src/store/issuerKeyCache.ts):
 * deleting it makes a test start from "never fetched".
 */
export async function forgetIssuerKeys(issuer = GITHUB_ISSUER): Promise<void> {
  await caches.default.delete(`https://oidc-keys.edgeget.invalid/keys?issuer=${encodeURIComponent(issuer)}`);
}

/** Runs `body` with the clock (Date, in the tests and the Worker alike) set to `at`, then gives the real clock back. */
export async function at<T>(time: number, body: () => Promise<T>): Promise<T> {
  vi.useFakeTimers({ toFake: ['Date'] });
  try {
    vi.setSystemTime(time);
    return await body();
  } finally {
    vi.useRealTimers();
  }
}

export interface ExchangeOptions {
  body?: unknown;
  /** Entries set to null are left out. */
  headers?: Record<string, string | null>;
  username?: string;
  /** Vars of the Worker's env to change for this request, as an operator would configure them. */
  vars?: Partial<Env>;
}

/** The request NuGet/login sends to POST /api/v2/token. */
export function tokenRequest(jwt: string | null, options: ExchangeOptions = {}): Request {
  const headers = new Headers();
  const wanted: Record<string, string | null> = {
    'Content-Type': 'application/json',
    'User-Agent': 'nuget/login-action',
    Authorization: jwt === null ? null : `Bearer ${jwt}`,
    ...options.headers,
  };
  for (const [name, value] of Object.entries(wanted)) if (value !== null) headers.set(name, value);
  const body = options.body ?? { username: options.username ?? 'alice', tokenType: 'ApiKey' };
  return new Request(`${FEED}/api/v2/token`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export async function exchange(jwt: string | null, options: ExchangeOptions = {}): Promise<Response> {
  if (!options.vars) return exports.default.fetch(tokenRequest(jwt, options));
  const ctx = createExecutionContext();
  const response = await worker.fetch(tokenRequest(jwt, options), { ...env, ...options.vars }, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

/** A refusal as POST /api/v2/token answers it: the status, `{ "error": message }` (also the reason phrase), and the Bearer challenge on a 401. */
export async function expectRefusal(response: Response, status: number, error: string): Promise<void> {
  expect({ status: response.status, body: await response.json() }).toEqual({ status, body: { error } });
  expect(response.statusText).toBe(error);
  expect(response.headers.get('Content-Type')).toMatch(/^application\/json/);
  expect(response.headers.get('WWW-Authenticate')).toBe(status === 401 ? 'Bearer' : null);
}

/** A successful exchange's body, checked for nuget.org's shape: exactly tokenType, expires and apiKey. */
export async function exchangedKey(
  response: Response,
): Promise<{ tokenType: string; expires: string; apiKey: string }> {
  const body = (await response.json()) as { tokenType: string; expires: string; apiKey: string };
  expect(response.status, JSON.stringify(body)).toBe(200);
  expect(Object.keys(body).sort()).toEqual(['apiKey', 'expires', 'tokenType']);
  expect(body.tokenType).toBe('ApiKey');
  return body;
}

export interface PolicyView {
  id: string;
  user: string;
  owner: string;
  repo: string;
  workflow: string;
  environment: string;
  ids: string[];
  scopes: string[];
  created: string;
  validateBy: string | null;
  removed: string | null;
  state: 'temporary' | 'active' | 'removed';
}

/** PUT /admin/trust with the admin key; the policy for contoso/widgets' release.yml unless `body` says otherwise. */
export async function addPolicy(body: Record<string, unknown>): Promise<PolicyView> {
  const response = await admin('PUT', '/admin/trust', {
    owner: 'contoso',
    repo: 'widgets',
    workflow: 'release.yml',
    ...body,
  });
  const view = (await response.json()) as PolicyView;
  expect(response.status, JSON.stringify(view)).toBe(201);
  return view;
}

/** A push of a fresh package with `apiKey`, as dotnet nuget push sends it. */
export function pushWith(apiKey: string, id: string, version = '1.0.0'): Promise<Response> {
  return exports.default.fetch(pushRequest(buildNupkg({ id, version }), { apiKey }));
}

/**
 * A stubbed issuer of its own for one test file, with the file's token and exchange helpers. Each
 * file needs its own issuer URL: the Worker's copy of an issuer's keys is in the Cache API, which
 * files running at the same time share, and a key generated by another file under the same kid
 * would fail every signature.
 */
export function useIssuer(issuerUrl: string, kid: string) {
  const vars = { OIDC_ISSUER: issuerUrl };
  let key: SigningKey;
  let issuer: StubbedIssuer;
  beforeAll(async () => {
    key = await signingKey(kid);
    issuer = stubIssuer([key], issuerUrl);
    await forgetIssuerKeys(issuerUrl);
  });
  afterAll(() => issuer.restore());
  const token = (claims: Claims = {}) => signJwt(key, githubClaims({ iss: issuerUrl, ...claims }));
  /** A key issued to `user` for a token with these claims. */
  const keyFor = async (user: string, claims: Claims = {}) =>
    (await exchangedKey(await exchange(await token(claims), { username: user, vars }))).apiKey;
  return { vars, token, keyFor };
}
