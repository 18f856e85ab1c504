/** Scoped, hashed API keys: management through /admin/keys, and every scope rule on push, unlist and symbols. */
import { env, exports } from 'cloudflare:workers';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { secretHash } from '../src/auth';
import { globMatches, keyDecision, type KeyGrant } from '../src/nuget/keyScopes';
import { insertKey } from '../src/store/apiKeys';
import { blobKeys } from '../src/store/blobs';
import { findVersion } from '../src/store/packages';
import { buildNupkg, FEED, multipartBody, pushRequest, TEST_API_KEY } from './support/nupkg';
import { portablePdb } from './support/portablePdb';

const send = (request: Request) => exports.default.fetch(request);

interface KeyAnswer {
  id: string;
  name: string;
  kind: string;
  scopes: string[];
  ids: string[];
  ownedOnly: boolean;
  expires: string | null;
  revoked: string | null;
  state: string;
  key?: string;
}

function admin(method: string, path = '', body?: unknown, apiKey: string | null = TEST_API_KEY): Promise<Response> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (apiKey !== null) headers['X-NuGet-ApiKey'] = apiKey;
  return send(
    new Request(`${FEED}/admin/keys${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  );
}

async function createKey(body: Record<string, unknown>): Promise<string> {
  const response = await admin('POST', '', body);
  expect(response.status, response.statusText).toBe(201);
  return ((await response.json()) as KeyAnswer).key!;
}

function push(id: string, version: string, apiKey: string): Promise<Response> {
  return send(pushRequest(buildNupkg({ id, version }), { apiKey }));
}

function listing(method: 'DELETE' | 'POST', id: string, version: string, apiKey: string): Promise<Response> {
  return send(
    new Request(`${FEED}/api/v2/package/${id}/${version}`, { method, headers: { 'X-NuGet-ApiKey': apiKey } }),
  );
}

async function owner(lowerId: string): Promise<string | null | undefined> {
  const row = await env.DB.prepare('SELECT owner FROM package_registrations WHERE lower_id = ?')
    .bind(lowerId)
    .first<{ owner: string | null }>();
  return row === null ? undefined : row.owner;
}

async function expectRefused(response: Response, status: number, message: RegExp): Promise<void> {
  expect(response.status, response.statusText).toBe(status);
  expect(response.statusText).toMatch(message);
  // 401 is half of every credential exchange, so it carries no X-NuGet-Warning (src/problems.ts).
  if (status === 403) expect(response.headers.get('X-NuGet-Warning')).toMatch(message);
  expect((await env.PACKAGES.list({ prefix: blobKeys.uploadsPrefix })).objects).toEqual([]);
}

describe('id patterns and decisions (pure)', () => {
  it('matches globs case-insensitively, * as any run of characters', () => {
    expect(globMatches('Contoso.*', 'contoso.Lib')).toBe(true);
    expect(globMatches('Contoso.*', 'Contoso.')).toBe(true);
    expect(globMatches('Contoso.*', 'Contoso')).toBe(false);
    expect(globMatches('Contoso.*', 'ContosoX.Lib')).toBe(false);
    expect(globMatches('*.Tools', 'Fabrikam.Build.Tools')).toBe(true);
    expect(globMatches('*.Tools', 'Fabrikam.Tools.X')).toBe(false);
    expect(globMatches('A*B*C', 'aXXbYYbZZc')).toBe(true);
    expect(globMatches('A*B*C', 'aXXbYYcZZ')).toBe(false);
    expect(globMatches('*', 'Anything')).toBe(true);
    expect(globMatches('Exact.Id', 'EXACT.ID')).toBe(true);
    expect(globMatches('Exact.Id', 'Exact.Id2')).toBe(false);
  });

  it('checks patterns before scopes, so keys learn nothing about ids outside their patterns', () => {
    const grant: KeyGrant = { name: 'ci', scopes: ['push-version'], idPatterns: ['Contoso.*'], ownedOnly: true };
    expect(keyDecision(grant, 'push', 'Other', { owner: 'someone' })?.message).toMatch(
      /limited to ids matching Contoso\.\*/,
    );
    expect(keyDecision(grant, 'push', 'Other', null)?.message).toMatch(/limited to ids matching Contoso\.\*/);
    expect(keyDecision(grant, 'push', 'Contoso.New', null)?.message).toMatch(/may not push new package ids/);
    expect(keyDecision(grant, 'push', 'Contoso.Lib', { owner: 'ci' })).toBeNull();
    expect(keyDecision(grant, 'push', 'Contoso.Lib', { owner: null })?.message).toMatch(/does not own 'Contoso.Lib'/);
    expect(keyDecision(grant, 'unlist', 'Contoso.Lib', { owner: 'ci' })?.message).toMatch(/needs the unlist scope/);
    expect(keyDecision(grant, 'push-symbols', 'Contoso.Lib', { owner: 'ci' })).toBeNull();
  });
});

describe('key management (/admin/keys)', () => {
  it('answers the secret once and stores only its SHA-256', async () => {
    const response = await admin('POST', '', {
      name: 'stored',
      scopes: ['push'],
      ids: ['Stored.*'],
      expires: '2999-01-01',
    });
    expect(response.status).toBe(201);
    const answer = (await response.json()) as KeyAnswer;
    expect(answer).toMatchObject({
      name: 'stored',
      kind: 'api',
      scopes: ['push'],
      ids: ['Stored.*'],
      ownedOnly: false,
      expires: '2999-01-01T00:00:00.000Z',
      revoked: null,
      state: 'active',
    });
    expect(answer.key).toMatch(/^eg_[A-Za-z0-9_-]{43}$/);
    const row = await env.DB.prepare('SELECT * FROM api_keys WHERE key_id = ?')
      .bind(answer.id)
      .first<Record<string, unknown>>();
    expect(row?.key_hash).toBe(await secretHash(answer.key!));
    expect(JSON.stringify(row)).not.toContain(answer.key!);

    const listed = await admin('GET');
    expect(listed.status).toBe(200);
    const text = await listed.text();
    expect(text).not.toContain(answer.key!);
    expect(text).not.toContain(row!.key_hash as string);
    const { keys } = JSON.parse(text) as { keys: KeyAnswer[] };
    expect(keys.find((k) => k.id === answer.id)).toEqual({ ...answer, key: undefined, created: expect.any(String) });
  });

  it('creates read tokens, feed-wide only', async () => {
    const response = await admin('POST', '', { name: 'reader', kind: 'read' });
    const answer = (await response.json()) as KeyAnswer;
    expect(answer).toMatchObject({ kind: 'read', scopes: ['read'], ids: ['*'] });
    expect(answer.key).toMatch(/^egr_/);
    expect((await admin('POST', '', { name: 'reader2', kind: 'read', ids: ['A.*'] })).status).toBe(400);
  });

  it.each([
    ['no name', { scopes: ['push'] }, /name is required/],
    ['a name with spaces', { name: 'a b', scopes: ['push'] }, /name is required/],
    ['no scopes', { name: 'x' }, /scopes is required/],
    ['an unknown scope', { name: 'x', scopes: ['delete'] }, /scopes is required/],
    ['a bad id pattern', { name: 'x', scopes: ['push'], ids: ['Con toso'] }, /not a package id pattern/],
    ['an expiry in the past', { name: 'x', scopes: ['push'], expires: '2001-01-01' }, /not in the future/],
    ['a bad expiry', { name: 'x', scopes: ['push'], expires: 'soon' }, /not a date/],
    ['a non-JSON body', 'not json', /Expected a JSON object/],
  ])('refuses %s with 400', async (_name, body, message) => {
    const response =
      typeof body === 'string'
        ? await send(
            new Request(`${FEED}/admin/keys`, { method: 'POST', headers: { 'X-NuGet-ApiKey': TEST_API_KEY }, body }),
          )
        : await admin('POST', '', body);
    expect(response.status).toBe(400);
    expect(response.statusText).toMatch(message);
  });

  it('keeps names unique among active keys, and revokes by name or by id', async () => {
    await createKey({ name: 'rotating', scopes: ['push'] });
    const clash = await admin('POST', '', { name: 'rotating', scopes: ['push'] });
    expect(clash.status).toBe(409);
    const byName = await admin('DELETE', '/rotating');
    expect(byName.status).toBe(200);
    expect(((await byName.json()) as { revoked: KeyAnswer[] }).revoked).toMatchObject([
      { name: 'rotating', state: 'revoked' },
    ]);
    const again = (await (await admin('POST', '', { name: 'rotating', scopes: ['push'] })).json()) as KeyAnswer;
    expect((await admin('DELETE', `/${again.id}`)).status).toBe(200);
    expect((await admin('DELETE', `/${again.id}`)).status).toBe(404);
    expect((await admin('DELETE', '/no-such-key')).status).toBe(404);
  });

  it('is for the admin key only: 401 without it, and for stored keys however broad', async () => {
    const broad = await createKey({ name: 'broad', scopes: ['push', 'push-version', 'unlist'] });
    for (const key of [null, 'wrong', broad]) {
      expect((await admin('GET', '', undefined, key)).status).toBe(401);
      expect((await admin('POST', '', { name: 'sneaky', scopes: ['push'] }, key)).status).toBe(401);
      expect((await admin('DELETE', '/broad', undefined, key)).status).toBe(401);
    }
  });
});

describe('pushing with scoped keys', () => {
  it('lets a push-only key create ids matching its patterns, recorded as their owner', async () => {
    const key = await createKey({ name: 'creator', scopes: ['push'], ids: ['Contoso.*'] });
    expect((await push('Contoso.Created', '1.0.0', key)).status).toBe(201);
    expect(await owner('contoso.created')).toBe('creator');
    await expectRefused(
      await push('Contoso.Created', '2.0.0', key),
      403,
      /may not push new versions of existing package ids such as 'Contoso.Created'/,
    );
    await expectRefused(
      await push('Fabrikam.Lib', '1.0.0', key),
      403,
      /'creator'.*may not push package 'Fabrikam.Lib': it is limited to ids matching Contoso\.\*/,
    );
    expect(await findVersion(env.DB, 'contoso.created', '2.0.0')).toBeNull();
    expect(await owner('fabrikam.lib')).toBeUndefined();
  });

  it('lets a push-version key add versions but not create ids', async () => {
    const key = await createKey({ name: 'versioner', scopes: ['push-version'], ids: ['Contoso.*'] });
    await expectRefused(
      await push('Contoso.Brand.New', '1.0.0', key),
      403,
      /may not push new package ids \('Contoso.Brand.New' is not on this feed yet\)/,
    );
    expect((await push('Contoso.Created', '2.0.0', key)).status).toBe(201);
    expect(await owner('contoso.created')).toBe('creator');
  });

  it('records no owner for ids the admin key creates', async () => {
    expect((await push('Admin.Made', '1.0.0', TEST_API_KEY)).status).toBe(201);
    expect(await owner('admin.made')).toBeNull();
  });

  it('limits an owned-only key to the ids it created', async () => {
    const teamA = await createKey({
      name: 'team-a',
      scopes: ['push', 'push-version', 'unlist'],
      ids: ['Team.*'],
      ownedOnly: true,
    });
    const teamB = await createKey({
      name: 'team-b',
      scopes: ['push', 'push-version', 'unlist'],
      ids: ['Team.*'],
      ownedOnly: true,
    });
    expect((await push('Team.Alpha', '1.0.0', teamA)).status).toBe(201);
    expect((await push('Team.Alpha', '1.1.0', teamA)).status).toBe(201);
    await expectRefused(
      await push('Team.Alpha', '2.0.0', teamB),
      403,
      /'team-b'.*may only push package ids it owns, and it does not own 'Team.Alpha'/,
    );
    await expectRefused(
      await listing('DELETE', 'Team.Alpha', '1.0.0', teamB),
      403,
      /may only unlist or relist package ids it owns/,
    );
    expect((await listing('DELETE', 'Team.Alpha', '1.0.0', teamA)).status).toBe(204);
    expect((await push('Team.Admin', '1.0.0', TEST_API_KEY)).status).toBe(201);
    await expectRefused(await push('Team.Admin', '2.0.0', teamA), 403, /does not own 'Team.Admin'/);
  });

  it('needs the unlist scope and a matching pattern to unlist or relist', async () => {
    const pusher = await createKey({ name: 'no-unlist', scopes: ['push', 'push-version'], ids: ['*'] });
    const lister = await createKey({ name: 'lister', scopes: ['unlist'], ids: ['Listable.*'] });
    expect((await push('Listable.Pkg', '1.0.0', TEST_API_KEY)).status).toBe(201);
    await expectRefused(
      await listing('DELETE', 'Listable.Pkg', '1.0.0', pusher),
      403,
      /may not unlist or relist packages \(it needs the unlist scope\)/,
    );
    expect((await listing('DELETE', 'listable.PKG', '1.0', lister)).status).toBe(204);
    expect((await listing('POST', 'Listable.Pkg', '1.0.0', lister)).status).toBe(200);
    await expectRefused(
      await listing('DELETE', 'Admin.Made', '1.0.0', lister),
      403,
      /limited to ids matching Listable\.\*/,
    );
    // Outside its patterns a key cannot tell absent ids from present ones; inside them it gets the 404.
    await expectRefused(await listing('DELETE', 'Nowhere', '1.0.0', lister), 403, /limited to ids matching/);
    expect((await listing('DELETE', 'Listable.Absent', '1.0.0', lister)).status).toBe(404);
    expect((await findVersion(env.DB, 'admin.made', '1.0.0'))?.listed).toBe(true);
  });

  it('pushes symbols with a push or push-version key within its patterns', async () => {
    const key = await createKey({ name: 'symbols', scopes: ['push'], ids: ['Contoso.*'] });
    expect((await symbolsPush(buildSnupkg('Contoso.Created', '1.0.0'), key)).status).toBe(201);
    await expectRefused(
      await symbolsPush(buildSnupkg('Admin.Made', '1.0.0'), key),
      403,
      /may not push symbols for package 'Admin.Made'/,
    );
    const lister = await createKey({ name: 'symbols-lister', scopes: ['unlist'] });
    await expectRefused(
      await symbolsPush(buildSnupkg('Contoso.Created', '2.0.0'), lister),
      403,
      /needs the push or push-version scope/,
    );
  });

  it('answers 403 to a read token used as an API key', async () => {
    const token = await createKey({ name: 'read-only', kind: 'read' });
    await expectRefused(await push('Contoso.ByReader', '1.0.0', token), 403, /'read-only'/);
  });
});

describe('unknown, revoked and expired keys', () => {
  it('answers 401 to each, before reading the body', async () => {
    const revoked = await createKey({ name: 'gone', scopes: ['push'] });
    expect((await admin('DELETE', '/gone')).status).toBe(200);
    const expired = 'eg_expired-test-key';
    const inserted = await insertKey(
      env.DB,
      await secretHash(expired),
      'expired0001',
      {
        name: 'expired',
        kind: 'api',
        scopes: ['push'],
        idPatterns: ['*'],
        ownedOnly: false,
        expiresAt: '2020-01-01T00:00:00.000Z',
      },
      '2019-01-01T00:00:00.000Z',
    );
    expect(inserted).not.toBeNull();
    const cases: [string, RegExp][] = [
      ['eg_unknown', /A valid API key is required/],
      [revoked, /The API key 'gone' has been revoked/],
      [expired, /The API key 'expired' expired at 2020-01-01/],
    ];
    for (const [key, message] of cases) {
      await expectRefused(await push('Contoso.Unauthorized', '1.0.0', key), 401, message);
      await expectRefused(await listing('DELETE', 'Contoso.Created', '1.0.0', key), 401, message);
      await expectRefused(await symbolsPush(buildSnupkg('Contoso.Created', '1.0.0'), key), 401, message);
    }
    expect(await owner('contoso.unauthorized')).toBeUndefined();
    expect((await findVersion(env.DB, 'contoso.created', '1.0.0'))?.listed).toBe(true);
  });
});

/** A minimal .snupkg (§2.6): a SymbolsPackage nuspec and one Portable PDB. */
function buildSnupkg(id: string, version: string): Uint8Array {
  const nuspec = `<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
  <metadata><id>${id}</id><version>${version}</version><description>Symbols.</description>
    <packageTypes><packageType name="SymbolsPackage" /></packageTypes></metadata>
</package>`;
  const pdb = portablePdb('0123456789abcdef0123456789abcdef').bytes;
  return zipSync({ [`${id}.nuspec`]: strToU8(nuspec), [`lib/netstandard2.0/${id}.pdb`]: pdb });
}

function symbolsPush(bytes: Uint8Array, apiKey: string): Promise<Response> {
  const { body, contentType } = multipartBody(bytes);
  return send(
    new Request(`${FEED}/api/v2/symbolpackage/`, {
      method: 'PUT',
      headers: { 'Content-Type': contentType, 'X-NuGet-ApiKey': apiKey },
      body,
    }),
  );
}
