/**
 * Trusted publishing's token exchange (POST /api/v2/token): a GitHub Actions OIDC token signed with
 * a real RSA key is exchanged for a short-lived API key that pushes within its policy and expires;
 * each token is exchanged once; every token and request flaw is a 401/400/415 with nuget.org's
 * wording. The issuer's discovery document and JWKS are served by a fetch stub
 * (test/support/oidcIssuer.ts), at GitHub's own URLs: the tests' env configures no issuer.
 */
import { env } from 'cloudflare:workers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addPolicy,
  at,
  b64json,
  b64url,
  exchange,
  exchangedKey,
  expectRefusal,
  forgetIssuerKeys,
  GITHUB_ISSUER,
  githubClaims,
  type PolicyView,
  pushWith,
  type SigningKey,
  signingKey,
  signJwt,
  type StubbedIssuer,
  stubIssuer,
  unsignedJwt,
} from './support/oidcIssuer';
import { FEED } from './support/nupkg';
import { repairFeed } from '../src/documents/repair';

const REPLAYED = 'This bearer token has already been used. A new bearer token must be used for each request.';
const INVALID_SIGNATURE = 'The JSON web token has an invalid signature.';
const HTTPS_ISSUER = 'The JSON web token iss claim must be a valid HTTPS URL.';

let key: SigningKey;
let issuer: StubbedIssuer;
let policy: PolicyView;
const token = (claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}) =>
  signJwt(key, githubClaims(claims), header);

const secondsFromNow = (iso: string) => (Date.parse(iso) - Date.now()) / 1000;

beforeAll(async () => {
  key = await signingKey('key-1');
  issuer = stubIssuer([key]);
  await forgetIssuerKeys();
  policy = await addPolicy({ user: 'alice', ids: ['Contoso.*'] });
});
afterAll(() => issuer.restore());

describe('a token that matches a policy', () => {
  it('is exchanged for a key that lives 15 minutes by default, stored with the policy', async () => {
    const response = await exchange(await token());
    expect(response.headers.get('Content-Type')).toMatch(/^application\/json/);
    const { apiKey, expires } = await exchangedKey(response);
    expect(apiKey).toMatch(/^eg_[A-Za-z0-9_-]{40,}$/);
    expect(new Date(expires).toISOString()).toBe(expires);
    expect(secondsFromNow(expires)).toBeGreaterThan(890);
    expect(secondsFromNow(expires)).toBeLessThanOrEqual(900);
    const row = await env.DB.prepare('SELECT name, kind, expires_at, revoked_at FROM api_keys WHERE expires_at = ?')
      .bind(expires)
      .first<Record<string, string | null>>();
    expect(row).toMatchObject({ kind: 'api', expires_at: expires, revoked_at: null });
    expect(row!.name).toMatch(new RegExp(`^trusted-${policy.id}-[0-9a-f]{12}$`));
  });

  it('accepts the scheme in any case and a JSON media type with parameters', async () => {
    const response = await exchange(null, {
      headers: { Authorization: `bEARER ${await token()}`, 'Content-Type': 'application/json; charset=utf-8' },
    });
    await exchangedKey(response);
  });

  it('gives a key that pushes inside the policy ids (201) and is refused outside them (403)', async () => {
    const { apiKey } = await exchangedKey(await exchange(await token()));
    expect((await pushWith(apiKey, 'Contoso.Trusted.Push')).status).toBe(201);
    const outside = await pushWith(apiKey, 'Fabrikam.Trusted.Push');
    expect(outside.status).toBe(403);
    expect(outside.statusText).toMatch(
      /may not push package 'Fabrikam\.Trusted\.Push': it is limited to ids matching Contoso\.\*/,
    );
  });

  it('gives a key refused with a 401 from the moment it expires', async () => {
    const { apiKey, expires } = await exchangedKey(await exchange(await token()));
    await at(Date.parse(expires) - 1000, async () => {
      expect((await pushWith(apiKey, 'Contoso.Trusted.Late', '1.0.0')).status).toBe(201);
    });
    await at(Date.parse(expires), async () => {
      const late = await pushWith(apiKey, 'Contoso.Trusted.Late', '1.0.1');
      expect(late.status).toBe(401);
      expect(late.statusText).toMatch(
        new RegExp(`^The API key 'trusted-${policy.id}-[0-9a-f]{12}' expired at ${expires}\\.$`),
      );
    });
  });

  it('accepts an exp within the minute of clock skew, and an aud given as a one-element array', async () => {
    await exchangedKey(await exchange(await token({ exp: Math.floor(Date.now() / 1000) - 30 })));
    await exchangedKey(await exchange(await token({ aud: [FEED] })));
  });
});

describe('one token, one key', () => {
  it('refuses the same token the second time with 401 "already been used", storing no second key', async () => {
    const jwt = await token();
    await exchangedKey(await exchange(jwt));
    const count = async () =>
      (await env.DB.prepare('SELECT COUNT(*) AS n FROM api_keys WHERE policy_id = ?')
        .bind(policy.id)
        .first<{ n: number }>())!.n;
    const keys = await count();
    await expectRefusal(await exchange(jwt), 401, REPLAYED);
    expect(await count()).toBe(keys);
  });

  it('of concurrent exchanges of one token, exactly one gets a key', async () => {
    const jwt = await token();
    const responses = await Promise.all(Array.from({ length: 6 }, () => exchange(jwt)));
    expect(responses.map((r) => r.status).sort()).toEqual([200, 401, 401, 401, 401, 401]);
    for (const response of responses.filter((r) => r.status === 401)) await expectRefusal(response, 401, REPLAYED);
  });

  it('does not use up a token refused for its request or its user', async () => {
    const jwt = await token();
    await expectRefusal(
      await exchange(jwt, { body: { username: 'alice', tokenType: 'Bearer' } }),
      400,
      "The tokenType property in the request body is required and must set to 'ApiKey'.",
    );
    await expectRefusal(
      await exchange(jwt, { username: 'mallory' }),
      401,
      "No matching trust policy owned by user 'mallory' was found.",
    );
    await exchangedKey(await exchange(jwt));
  });
});

describe('token validation (401, nuget.org wording)', () => {
  const now = () => Math.floor(Date.now() / 1000);
  const cases: [string, () => Promise<string> | string, string][] = [
    ['not a JWS', () => 'not-a-token', 'The bearer token could not be parsed as a JSON web token.'],
    [
      'two parts',
      async () => (await token()).split('.').slice(0, 2).join('.'),
      'The bearer token could not be parsed as a JSON web token.',
    ],
    ['no aud', () => token({ aud: undefined }), 'The JSON web token must have an aud claim.'],
    [
      'two aud values',
      () => token({ aud: [FEED, 'https://other.test'] }),
      'The JSON web token must have exactly one aud claim value.',
    ],
    ['wrong aud', () => token({ aud: 'https://www.nuget.org' }), 'The JSON web token has an incorrect audience.'],
    ['no iss', () => token({ iss: undefined }), 'The JSON web token must have an iss claim.'],
    [
      'another https issuer',
      () => token({ iss: 'https://issuer.example' }),
      'The JSON web token iss claim is not supported.',
    ],
    ['http issuer', () => token({ iss: 'http://token.actions.githubusercontent.com' }), HTTPS_ISSUER],
    ['http loopback issuer not configured', () => token({ iss: 'http://127.0.0.1:9100' }), HTTPS_ISSUER],
    ['iss not a URL', () => token({ iss: 'token.actions.githubusercontent.com' }), HTTPS_ISSUER],
    ['no jti', () => token({ jti: undefined }), 'The JSON web token must have a jti claim.'],
    ['jti over 64 characters', () => token({ jti: 'j'.repeat(65) }), 'The JSON web token must have a jti claim.'],
    ['expired', () => token({ exp: now() - 120 }), 'The JSON web token has expired.'],
    ['no exp', () => token({ exp: undefined }), 'The JSON web token could not be validated.'],
    ['nbf in the future', () => token({ nbf: now() + 120 }), 'The JSON web token is not yet valid.'],
    ['alg none', () => unsignedJwt(githubClaims()), INVALID_SIGNATURE],
    ['RS256 without kid', () => token({}, { kid: undefined }), INVALID_SIGNATURE],
    [
      'HS256',
      async () => {
        const secret = await crypto.subtle.importKey(
          'raw',
          new TextEncoder().encode(key.jwk.n!),
          { name: 'HMAC', hash: 'SHA-256' },
          false,
          ['sign'],
        );
        const [h, p] = (await token({}, { alg: 'HS256' })).split('.');
        const mac = new Uint8Array(await crypto.subtle.sign('HMAC', secret, new TextEncoder().encode(`${h}.${p}`)));
        return `${h}.${p}.${b64url(mac)}`;
      },
      INVALID_SIGNATURE,
    ],
    [
      'claims changed after signing',
      async () => {
        const [h, , s] = (await token()).split('.');
        return `${h}.${b64json(githubClaims({ repository_id: '9999' }))}.${s}`;
      },
      INVALID_SIGNATURE,
    ],
    [
      'signed by another key under the same kid',
      async () => signJwt(await signingKey('key-1'), githubClaims()),
      INVALID_SIGNATURE,
    ],
    ...['repository', 'repository_owner', 'repository_owner_id', 'repository_id', 'event_name', 'job_workflow_ref'].map(
      (claim): [string, () => Promise<string>, string] => [
        `no ${claim}`,
        () => token({ [claim]: undefined }),
        `The JSON Web Token is missing the required claim '${claim}'.`,
      ],
    ),
    [
      'job_workflow_ref naming no workflow file',
      () => token({ job_workflow_ref: 'contoso/widgets@refs/heads/main' }),
      "The JSON Web Token is missing the required claim 'job_workflow_ref'.",
    ],
  ];

  it.each(cases)('%s', async (_name, make, error) => {
    await expectRefusal(await exchange(await make()), 401, error);
  });

  it('never fetches keys from any origin but the configured issuer', async () => {
    // After every case above: the http, loopback and foreign issuers were refused before any fetch.
    expect(issuer.fetched.length).toBeGreaterThan(0);
    expect(issuer.fetched.filter((url) => !url.startsWith(`${GITHUB_ISSUER}/`))).toEqual([]);
  });
});

describe('the repair pass', () => {
  it('forgets expired tokens and drops issued keys a week after they expire, not before', async () => {
    const jti = `repair-${crypto.randomUUID()}`;
    const { expires } = await exchangedKey(await exchange(await token({ jti })));
    const count = async (sql: string, value: string) =>
      (await env.DB.prepare(sql).bind(value).first<{ n: number }>())!.n;
    const keys = () => count('SELECT COUNT(*) AS n FROM api_keys WHERE expires_at = ?', expires);
    const tokens = () => count('SELECT COUNT(*) AS n FROM oidc_tokens WHERE jti = ?', jti);
    await repairFeed(env, new Date(Date.parse(expires) + 86_400_000));
    expect([await keys(), await tokens()]).toEqual([1, 0]);
    await repairFeed(env, new Date(Date.parse(expires) + 8 * 86_400_000));
    expect(await keys()).toBe(0);
  });
});
