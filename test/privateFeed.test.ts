/**
 * Private feeds (PRIVATE_FEED = "true"). The pool binds one env for every worker test, so the Worker's
 * fetch handler is called here with an explicit env object that turns the option on.
 */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { secretHash } from '../src/auth';
import { basicPassword, guardRead } from '../src/auth/privateFeed';
import type { Env } from '../src/env';
import worker from '../src/index';
import { insertKey } from '../src/store/apiKeys';
import { buildNupkg, FEED, pushRequest, TEST_API_KEY } from './support/nupkg';

const privateEnv: Env = { ...env, PRIVATE_FEED: 'true' };

/** Bindings that throw on any use: the anonymous 401 must not touch storage. */
const untouchable = new Proxy(
  {},
  {
    get: () => {
      throw new Error('storage was touched');
    },
  },
);
const noStorageEnv = {
  ...privateEnv,
  DB: untouchable,
  PACKAGES: untouchable,
  PAGES: untouchable,
  DOWNLOADS: untouchable,
} as unknown as Env;

async function send(request: Request, withEnv: Env = privateEnv): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await worker.fetch(request, withEnv, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

const basic = (password: string, user = 'anyone') => `Basic ${btoa(`${user}:${password}`)}`;

function read(path: string, authorization?: string, method = 'GET'): Request {
  return new Request(`${FEED}${path}`, { method, headers: authorization ? { Authorization: authorization } : {} });
}

const READS = [
  '/',
  '/v3/index.json',
  '/v3/flat/private.pkg/index.json',
  '/v3/flat/private.pkg/1.0.0/private.pkg.1.0.0.nupkg',
  '/v3/registration/private.pkg/index.json',
  '/v3/registration-gz-semver2/private.pkg/index.json',
  '/v3/query?q=private',
  '/v3/autocomplete?q=priv',
  '/v3/catalog/index.json',
  '/packages/Private.Pkg/1.0.0',
  '/no/such/path',
];

let readToken = '';
let scopedKey = '';

beforeAll(async () => {
  expect((await exports.default.fetch(pushRequest(buildNupkg({ id: 'Private.Pkg', version: '1.0.0' })))).status).toBe(
    201,
  );
  const create = async (body: object) => {
    const response = await exports.default.fetch(
      new Request(`${FEED}/admin/keys`, {
        method: 'POST',
        headers: { 'X-NuGet-ApiKey': TEST_API_KEY },
        body: JSON.stringify(body),
      }),
    );
    return ((await response.json()) as { key: string }).key;
  };
  readToken = await create({ name: 'reader', kind: 'read' });
  scopedKey = await create({ name: 'private-ci', scopes: ['push', 'push-version', 'unlist'], ids: ['Private.*'] });
});

describe('a public feed (the default)', () => {
  it('serves reads without credentials', async () => {
    expect(await guardRead(read('/v3/index.json'), env, new Date())).toBeNull();
    expect((await send(read('/v3/index.json'), env)).status).toBe(200);
    expect((await send(read('/v3/index.json'), { ...env, PRIVATE_FEED: 'false' })).status).toBe(200);
  });
});

describe('a private feed', () => {
  it.each(READS)('challenges an anonymous read of %s with 401 Basic, touching no storage', async (path) => {
    for (const method of ['GET', 'HEAD']) {
      const response = await send(read(path, undefined, method), noStorageEnv);
      expect(response.status).toBe(401);
      expect(response.headers.get('WWW-Authenticate')).toMatch(/^Basic realm="EdgeGet"/);
      expect(response.statusText).toMatch(/This feed is private/);
      // Every restore request is answered 401 once: a warning on each would flood the client's output.
      expect(response.headers.get('X-NuGet-Warning')).toBeNull();
    }
  });

  it.each([
    ['a wrong password', basic('eg_not-a-key')],
    ['an empty password', basic('')],
    ['a user name without a password', `Basic ${btoa('ci:')}`],
    ['a Bearer token', 'Bearer eg_whatever'],
    ['malformed base64', 'Basic !!!'],
    ['no colon', `Basic ${btoa('just-a-token')}`],
  ])('answers 401 (never 403) to %s', async (_name, authorization) => {
    const response = await send(read('/v3/index.json', authorization));
    expect(response.status).toBe(401);
    expect(response.headers.get('WWW-Authenticate')).toMatch(/^Basic realm="EdgeGet"/);
  });

  it('answers 401 to revoked and expired keys as passwords', async () => {
    const expired = 'egr_expired-reader';
    await insertKey(
      env.DB,
      await secretHash(expired),
      'expiredread1',
      {
        name: 'old-reader',
        kind: 'read',
        scopes: ['read'],
        idPatterns: ['*'],
        ownedOnly: false,
        expiresAt: '2020-01-01T00:00:00.000Z',
      },
      '2019-01-01T00:00:00.000Z',
    );
    const expiredResponse = await send(read('/v3/index.json', basic(expired)));
    expect(expiredResponse.status).toBe(401);
    expect(expiredResponse.statusText).toMatch(/expired/);

    const revoke = await exports.default.fetch(
      new Request(`${FEED}/admin/keys/old-reader`, { method: 'DELETE', headers: { 'X-NuGet-ApiKey': TEST_API_KEY } }),
    );
    expect(revoke.status).toBe(200);
    const revoked = await send(read('/v3/index.json', basic(expired)));
    expect(revoked.status).toBe(401);
    expect(revoked.headers.get('WWW-Authenticate')).toMatch(/^Basic/);
  });

  it.each([
    ['a read token', () => readToken],
    ['a scoped API key', () => scopedKey],
    ['the admin key', () => TEST_API_KEY],
  ])('serves every read to Basic credentials with %s as the password', async (_name, password) => {
    const authorization = basic(password(), 'ci');
    expect(await guardRead(read('/v3/index.json', authorization), privateEnv, new Date())).toBeNull();
    const index = await send(read('/v3/index.json', authorization));
    expect(index.status).toBe(200);
    expect(index.headers.get('Cache-Control') ?? '').toMatch(/^private/);
    expect(index.headers.get('Cache-Control')).not.toMatch(/public|s-maxage/);
    const flat = await send(read('/v3/flat/private.pkg/index.json', authorization));
    expect(await flat.json()).toEqual({ versions: ['1.0.0'] });
    const nupkg = await send(read('/v3/flat/private.pkg/1.0.0/private.pkg.1.0.0.nupkg', authorization));
    expect(nupkg.status).toBe(200);
    expect(new Uint8Array(await nupkg.arrayBuffer()).slice(0, 2)).toEqual(new Uint8Array([0x50, 0x4b]));
    // The gzip hives are sent pre-compressed; kept private, they must still arrive decodable.
    const registration = await send(read('/v3/registration-gz-semver2/private.pkg/index.json', authorization));
    expect(registration.status).toBe(200);
    expect(((await registration.json()) as { count: number }).count).toBe(1);
    const head = await send(read('/v3/index.json', authorization, 'HEAD'));
    expect(head.status).toBe(200);
  });

  it('keeps conditional and ranged answers private too', async () => {
    const path = '/v3/flat/private.pkg/1.0.0/private.pkg.1.0.0.nupkg';
    const first = await send(read(path, basic(readToken)));
    await first.arrayBuffer();
    const etag = first.headers.get('ETag');
    expect(etag).not.toBeNull();
    const conditional = await send(
      new Request(`${FEED}${path}`, { headers: { Authorization: basic(readToken), 'If-None-Match': etag! } }),
    );
    expect(conditional.status).toBe(304);
    expect(conditional.headers.get('Cache-Control')).toMatch(/^private/);
    const ranged = await send(
      new Request(`${FEED}${path}`, { headers: { Authorization: basic(readToken), Range: 'bytes=0-1' } }),
    );
    expect(ranged.status).toBe(206);
    expect(new Uint8Array(await ranged.arrayBuffer())).toEqual(new Uint8Array([0x50, 0x4b]));
    expect(ranged.headers.get('Cache-Control')).toMatch(/^private/);
  });

  it('takes writes on X-NuGet-ApiKey alone, without Basic credentials', async () => {
    const pushed = await send(pushRequest(buildNupkg({ id: 'Private.Pkg', version: '2.0.0' }), { apiKey: scopedKey }));
    expect(pushed.status, pushed.statusText).toBe(201);
    const unlisted = await send(
      new Request(`${FEED}/api/v2/package/Private.Pkg/2.0.0`, {
        method: 'DELETE',
        headers: { 'X-NuGet-ApiKey': scopedKey },
      }),
    );
    expect(unlisted.status).toBe(204);
    const outside = await send(pushRequest(buildNupkg({ id: 'Public.Pkg', version: '1.0.0' }), { apiKey: scopedKey }));
    expect(outside.status).toBe(403);
    const unknown = await send(pushRequest(buildNupkg({ id: 'Private.Pkg', version: '3.0.0' }), { apiKey: 'eg_nope' }));
    expect(unknown.status).toBe(401);
  });

  it('leaves the admin endpoints to the admin key', async () => {
    const listed = await send(new Request(`${FEED}/admin/keys`, { headers: { 'X-NuGet-ApiKey': TEST_API_KEY } }));
    expect(listed.status).toBe(200);
    const anonymous = await send(new Request(`${FEED}/admin/keys`), noStorageEnv);
    expect(anonymous.status).toBe(401);
  });
});

describe('Basic credentials', () => {
  it('takes the password after the first colon, whatever the user name', () => {
    expect(basicPassword(basic('p:a:ss', 'user'))).toBe('p:a:ss');
    expect(basicPassword(`basic ${btoa(':token')}`)).toBe('token');
    expect(basicPassword(null)).toBeNull();
    expect(basicPassword('Digest abc')).toBeNull();
  });
});
