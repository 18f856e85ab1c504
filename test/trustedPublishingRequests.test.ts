/**
 * POST /api/v2/token (issue 18): the header and body errors, in nuget.org's order and with its wording,
 * how the issuer's keys are fetched and cached, and what the operator's vars change. Real RSA keys and signatures; only the issuer's network is stood in for.
 */
import { exports } from 'cloudflare:workers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Env } from '../src/env';
import {
  addPolicy,
  at,
  DISCOVERY_URL,
  discoveryUrl,
  exchange,
  exchangedKey,
  expectRefusal,
  forgetIssuerKeys,
  GITHUB_ISSUER,
  githubClaims,
  JWKS_URL,
  jwksUrl,
  type SigningKey,
  signingKey,
  signJwt,
  type StubbedIssuer,
  stubIssuer,
  tokenRequest,
} from './support/oidcIssuer';

const INVALID_SIGNATURE = 'The JSON web token has an invalid signature.';
const UNAVAILABLE = `The JSON web token could not be validated. The keys of ${GITHUB_ISSUER} could not be fetched; try again.`;

let key: SigningKey;
let issuer: StubbedIssuer;
const token = (claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}) =>
  signJwt(key, githubClaims(claims), header);

/** The Worker with some of its vars changed, as an operator would configure them. */
const exchangeWith = (vars: Partial<Env>, jwt: string) => exchange(jwt, { vars });

const secondsFromNow = (iso: string) => (Date.parse(iso) - Date.now()) / 1000;

beforeAll(async () => {
  key = await signingKey('key-1');
  issuer = stubIssuer([key]);
  await forgetIssuerKeys();
  await addPolicy({ user: 'alice', ids: ['Contoso.*'] });
});
afterAll(() => issuer.restore());

describe('request errors, checked in nuget.org order', () => {
  const WRONG_MEDIA = "The request must have a Content-Type of 'application/json'.";
  const NO_USERNAME = 'The username property in the request body is required.';
  const BAD_TOKEN_TYPE = "The tokenType property in the request body is required and must set to 'ApiKey'.";
  const NO_AGENT = 'A User-Agent header is required.';
  /** `jwt`: the bearer token sent (null: no Authorization header); unset, a valid token. */
  type Case = [
    string,
    { jwt?: string | null; headers?: Record<string, string | null>; body?: unknown },
    number,
    string,
  ];
  const cases: Case[] = [
    ['no Authorization header', { jwt: null }, 401, 'The Authorization header is missing.'],
    [
      'not Bearer',
      { headers: { Authorization: 'Basic YWxpY2U6c2VjcmV0' } },
      401,
      "The Authorization header value must start with 'Bearer '.",
    ],
    ['Content-Type text/plain', { headers: { 'Content-Type': 'text/plain' } }, 415, WRONG_MEDIA],
    ['no Content-Type', { headers: { 'Content-Type': null } }, 415, WRONG_MEDIA],
    ['no User-Agent', { headers: { 'User-Agent': null } }, 400, NO_AGENT],
    ['no username', { body: { tokenType: 'ApiKey' } }, 400, NO_USERNAME],
    ['a blank username', { body: { username: '  ', tokenType: 'ApiKey' } }, 400, NO_USERNAME],
    ['a body that is not JSON', { body: 'username=alice' }, 400, NO_USERNAME],
    ['no tokenType', { body: { username: 'alice' } }, 400, BAD_TOKEN_TYPE],
    ['tokenType other than ApiKey', { body: { username: 'alice', tokenType: 'apikey' } }, 400, BAD_TOKEN_TYPE],
    // The first failing check answers: headers before the body, the body before the token.
    [
      'no Authorization and text/plain',
      { jwt: null, headers: { 'Content-Type': 'text/plain' } },
      401,
      'The Authorization header is missing.',
    ],
    [
      'text/plain and no User-Agent',
      { headers: { 'Content-Type': 'text/plain', 'User-Agent': null } },
      415,
      WRONG_MEDIA,
    ],
    ['no User-Agent and no username', { headers: { 'User-Agent': null }, body: {} }, 400, NO_AGENT],
    ['no username and an unparsable token', { jwt: 'x.y', body: {} }, 400, NO_USERNAME],
  ];

  it.each(cases)('%s', async (_name, { jwt, ...options }, status, error) => {
    await expectRefusal(await exchange(jwt === undefined ? await token() : jwt, options), status, error);
  });

  it('Bearer with an empty token → 401 "token is missing"', async () => {
    await expectRefusal(
      await exchange(null, { headers: { Authorization: 'Bearer ' } }),
      401,
      'The bearer token is missing from the Authorization header.',
    );
  });

  it('two Authorization headers → 401', async () => {
    const request = tokenRequest(await token());
    request.headers.append('Authorization', `Bearer ${await token()}`);
    await expectRefusal(await exports.default.fetch(request), 401, 'Only one Authorization header is allowed.');
  });
});

describe("the operator's configuration", () => {
  it('caps TRUSTED_KEY_SECONDS at an hour, honours shorter ones, and ignores nonsense', async () => {
    const lifetime = async (seconds: string) =>
      secondsFromNow((await exchangedKey(await exchangeWith({ TRUSTED_KEY_SECONDS: seconds }, await token()))).expires);
    expect(await lifetime('7200')).toBeCloseTo(3600, -1);
    expect(await lifetime('60')).toBeCloseTo(60, -1);
    expect(await lifetime('soon')).toBeCloseTo(900, -1);
    expect(await lifetime('-5')).toBeCloseTo(900, -1);
  });

  it('OIDC_AUDIENCE replaces the request origin as the audience', async () => {
    const vars = { OIDC_AUDIENCE: 'https://nuget.example.com' };
    await expectRefusal(await exchangeWith(vars, await token()), 401, 'The JSON web token has an incorrect audience.');
    await exchangedKey(await exchangeWith(vars, await token({ aud: 'https://nuget.example.com' })));
  });

  it('OIDC_ISSUER may name a loopback http issuer, whose keys are then the only ones trusted', async () => {
    const local = 'http://127.0.0.1:9100';
    issuer.answers.set(discoveryUrl(local), () => Response.json({ issuer: local, jwks_uri: jwksUrl(local) }));
    issuer.answers.set(jwksUrl(local), () => Response.json({ keys: [key.jwk] }));
    const vars = { OIDC_ISSUER: local };
    await exchangedKey(await exchangeWith(vars, await token({ iss: local })));
    expect(issuer.fetched).toContain(jwksUrl(local));
    await expectRefusal(await exchangeWith(vars, await token()), 401, 'The JSON web token iss claim is not supported.');
  });
});

describe("the issuer's keys", () => {
  it('are fetched once (discovery, then its jwks_uri) and then served from the cache', async () => {
    await forgetIssuerKeys();
    const before = issuer.fetched.length;
    await exchangedKey(await exchange(await token()));
    await exchangedKey(await exchange(await token()));
    expect(issuer.fetched.slice(before)).toEqual([DISCOVERY_URL, JWKS_URL]);
  });

  it('are looked up again for an unknown kid only once the copy is a minute old; the token is refused', async () => {
    await forgetIssuerKeys();
    const fetchedAt = Date.now();
    await exchangedKey(await exchange(await token()));
    const before = issuer.fetched.length;
    const stranger = await signingKey('key-unknown');
    const strangerToken = () => signJwt(stranger, githubClaims());
    // A fresh copy: made-up kids cannot make the Worker fetch.
    await expectRefusal(await exchange(await strangerToken()), 401, INVALID_SIGNATURE);
    expect(issuer.fetched.length).toBe(before);
    await at(fetchedAt + 61_000, async () => {
      await expectRefusal(await exchange(await strangerToken()), 401, INVALID_SIGNATURE);
      expect(issuer.fetched.slice(before)).toEqual([DISCOVERY_URL, JWKS_URL]);
      // That refetch made the copy fresh again.
      await expectRefusal(await exchange(await strangerToken()), 401, INVALID_SIGNATURE);
      expect(issuer.fetched.length).toBe(before + 2);
    });
  });

  it('rotated in by the issuer are found by that refetch', async () => {
    await forgetIssuerKeys();
    const fetchedAt = Date.now();
    await exchangedKey(await exchange(await token()));
    const rotated = await signingKey('key-2');
    issuer.keys = [key, rotated];
    try {
      await expectRefusal(await exchange(await signJwt(rotated, githubClaims())), 401, INVALID_SIGNATURE);
      await at(fetchedAt + 61_000, async () => {
        await exchangedKey(await exchange(await signJwt(rotated, githubClaims())));
        await exchangedKey(await exchange(await token()));
      });
    } finally {
      issuer.keys = [key];
    }
  });

  it('unavailable (the JWKS answers 500) refuse the token with a 401 saying to try again', async () => {
    await forgetIssuerKeys();
    const jwks = issuer.answers.get(JWKS_URL)!;
    issuer.answers.set(JWKS_URL, () => new Response('down', { status: 500 }));
    try {
      await expectRefusal(await exchange(await token()), 401, UNAVAILABLE);
    } finally {
      issuer.answers.set(JWKS_URL, jwks);
    }
    await exchangedKey(await exchange(await token()));
  });

  it('are never fetched from a jwks_uri on another origin', async () => {
    await forgetIssuerKeys();
    const discovery = issuer.answers.get(DISCOVERY_URL)!;
    const elsewhere = 'https://attacker.example/jwks';
    issuer.answers.set(elsewhere, issuer.answers.get(JWKS_URL)!);
    issuer.answers.set(DISCOVERY_URL, () => Response.json({ issuer: GITHUB_ISSUER, jwks_uri: elsewhere }));
    try {
      await expectRefusal(await exchange(await token()), 401, UNAVAILABLE);
      expect(issuer.fetched).not.toContain(elsewhere);
    } finally {
      issuer.answers.set(DISCOVERY_URL, discovery);
      issuer.answers.delete(elsewhere);
    }
  });
});
