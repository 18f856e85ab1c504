/** The pull-through upstream's pure rules: configuration, which ids go upstream, and the upstream's resources. */
import { describe, expect, it } from 'vitest';
import {
  isReserved,
  parseUpstreamConfig,
  standingOf,
  type UpstreamConfig,
  upstreamResources,
} from '../../src/nuget/upstream';

function config(vars: Record<string, string>): UpstreamConfig {
  const parsed = parseUpstreamConfig({ UPSTREAM_URL: 'https://api.nuget.org/v3/index.json', ...vars });
  if (parsed === null || 'failure' in parsed) throw new Error(`not a config: ${JSON.stringify(parsed)}`);
  return parsed;
}

describe('parseUpstreamConfig', () => {
  it('is off without UPSTREAM_URL, and has the documented defaults with it', () => {
    expect(parseUpstreamConfig({})).toBeNull();
    expect(parseUpstreamConfig({ UPSTREAM_URL: '  ' })).toBeNull();
    const parsed = config({});
    expect(parsed).toEqual({
      serviceIndex: 'https://api.nuget.org/v3/index.json',
      versionsTtlMs: 600_000,
      timeoutMs: 10_000,
      reserved: [],
      search: false,
    });
  });

  it('reads the TTL, time limit, search switch, credentials and reserved patterns', () => {
    const parsed = config({
      UPSTREAM_VERSIONS_TTL: '30',
      UPSTREAM_TIMEOUT: '3',
      UPSTREAM_SEARCH: 'TRUE',
      UPSTREAM_CREDENTIALS: 'me:secret',
      RESERVED_PREFIXES: ' Contoso.* , Fabrikam*,Exact.Id,, ',
    });
    expect(parsed.versionsTtlMs).toBe(30_000);
    expect(parsed.timeoutMs).toBe(3000);
    expect(parsed.search).toBe(true);
    expect(parsed.authorization).toBe(`Basic ${Buffer.from('me:secret').toString('base64')}`);
    expect(parsed.reserved.map((p) => [p.text, p.base, p.kind])).toEqual([
      ['Contoso.*', 'contoso', 'dotted'],
      ['Fabrikam*', 'fabrikam', 'prefix'],
      ['Exact.Id', 'exact.id', 'exact'],
    ]);
  });

  it.each([
    [{ UPSTREAM_URL: 'not a url' }, /UPSTREAM_URL is 'not a url', which is not a URL/],
    [{ UPSTREAM_URL: 'http://nuget.example.com/v3/index.json' }, /must be an https URL/],
    [
      { UPSTREAM_VERSIONS_TTL: '0' },
      /UPSTREAM_VERSIONS_TTL is '0': it must be a whole number of seconds from 1 to 86400/,
    ],
    [{ UPSTREAM_VERSIONS_TTL: '1.5' }, /UPSTREAM_VERSIONS_TTL/],
    [{ UPSTREAM_TIMEOUT: '61' }, /UPSTREAM_TIMEOUT is '61'/],
    [{ RESERVED_PREFIXES: 'Con*toso' }, /RESERVED_PREFIXES has 'Con\*toso'/],
    [{ RESERVED_PREFIXES: '*' }, /RESERVED_PREFIXES has '\*'/],
    [{ RESERVED_PREFIXES: 'Contoso.Lib,bad id' }, /RESERVED_PREFIXES has 'bad id'/],
    [{ UPSTREAM_SEARCH: 'yes' }, /UPSTREAM_SEARCH is 'yes': it must be true or false/],
    [{ UPSTREAM_CREDENTIALS: 'token-without-user' }, /UPSTREAM_CREDENTIALS must be `user:token`/],
  ])('refuses %j with a message naming the var', (vars, message) => {
    const parsed = parseUpstreamConfig({ UPSTREAM_URL: 'https://api.nuget.org/v3/index.json', ...vars });
    expect(parsed).toMatchObject({ failure: 'misconfigured' });
    expect((parsed as { message: string }).message).toMatch(message);
  });

  it('accepts http only for an upstream on this machine', () => {
    expect(config({ UPSTREAM_URL: 'http://127.0.0.1:8788/v3/index.json' }).serviceIndex).toBe(
      'http://127.0.0.1:8788/v3/index.json',
    );
  });
});

describe('which ids go upstream', () => {
  const rules = config({ RESERVED_PREFIXES: 'Contoso.*,Fabrikam*,Exact.Id' });
  const none = { pushed: false, deleted: false };

  it('reserves `X.*` as X and its dotted sub-ids, `X*` as every id starting so, else exactly the id, in any case', () => {
    for (const id of ['contoso', 'CONTOSO.Lib', 'contoso.lib.core', 'fabrikam', 'FabrikamFiber', 'exact.id']) {
      expect(isReserved(rules, id), id).toBe(true);
    }
    for (const id of ['contosolib', 'contoso-lib', 'con', 'exact.id.more', 'exact', 'newtonsoft.json']) {
      expect(isReserved(rules, id), id).toBe(false);
    }
  });

  it('serves an id with any local history locally, a reserved one never upstream, any other from the upstream', () => {
    expect(standingOf(rules, 'newtonsoft.json', none)).toBe('upstream');
    expect(standingOf(rules, 'newtonsoft.json', { pushed: true, deleted: false })).toBe('local');
    expect(standingOf(rules, 'newtonsoft.json', { pushed: false, deleted: true })).toBe('local');
    expect(standingOf(rules, 'contoso.lib', none)).toBe('reserved');
    expect(standingOf(rules, 'contoso.lib', { pushed: true, deleted: false })).toBe('local');
  });
});

describe('upstreamResources', () => {
  // The types and base URLs of nuget.org's service index (https://api.nuget.org/v3/index.json).
  const nugetOrg = {
    resources: [
      { '@id': 'https://api.nuget.org/v3-flatcontainer/', '@type': 'PackageBaseAddress/3.0.0' },
      { '@id': 'https://api.nuget.org/v3/registration5-semver1/', '@type': 'RegistrationsBaseUrl' },
      { '@id': 'https://api.nuget.org/v3/registration5-gz-semver1/', '@type': 'RegistrationsBaseUrl/3.4.0' },
      { '@id': 'https://api.nuget.org/v3/registration5-gz-semver2/', '@type': 'RegistrationsBaseUrl/3.6.0' },
      { '@id': 'https://api.nuget.org/v3/registration5-gz-semver2/', '@type': 'RegistrationsBaseUrl/Versioned' },
      { '@id': 'https://azuresearch-usnc.nuget.org/query', '@type': 'SearchQueryService/3.5.0' },
      { '@id': 'https://azuresearch-usnc.nuget.org/autocomplete', '@type': 'SearchAutocompleteService/3.5.0' },
    ],
  };

  it("reads the flat container, each level's hives (the one read first), search and autocomplete", () => {
    expect(upstreamResources(nugetOrg, 'https://api.nuget.org/v3/index.json')).toEqual({
      flat: 'https://api.nuget.org/v3-flatcontainer/',
      registration: {
        semver1: [
          'https://api.nuget.org/v3/registration5-gz-semver1/',
          'https://api.nuget.org/v3/registration5-semver1/',
        ],
        semver2: ['https://api.nuget.org/v3/registration5-gz-semver2/'],
      },
      search: 'https://azuresearch-usnc.nuget.org/query',
      autocomplete: 'https://azuresearch-usnc.nuget.org/autocomplete',
    });
  });

  it('serves both levels from the one hive an upstream has, and refuses a document that is no V3 feed', () => {
    const one = {
      resources: [
        { '@id': 'https://feed.example/flat', '@type': 'PackageBaseAddress/3.0.0' },
        { '@id': 'https://feed.example/reg', '@type': 'RegistrationsBaseUrl/3.6.0' },
      ],
    };
    expect(upstreamResources(one, 'x')).toMatchObject({
      flat: 'https://feed.example/flat/',
      registration: { semver1: ['https://feed.example/reg/'], semver2: ['https://feed.example/reg/'] },
    });
    for (const doc of [null, {}, { resources: 'no' }, { resources: [one.resources[0]] }]) {
      expect(upstreamResources(doc, 'https://feed.example/v3/index.json')).toMatchObject({
        failure: 'badGateway',
        message: expect.stringContaining('https://feed.example/v3/index.json is not a V3 feed'),
      });
    }
  });
});
