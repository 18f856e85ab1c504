/** Upstream documents made this feed's: URL rewriting, registration page renaming, and merged search hits. */
import { describe, expect, it } from 'vitest';
import { feedLinks } from '../../src/links';
import type { UpstreamResources } from '../../src/nuget/upstream';
import {
  mergeHits,
  rewriteUrls,
  storedRegistrationDocument,
  storedRegistrationIndex,
  upstreamPairs,
  upstreamVersionList,
  upstreamWindow,
} from '../../src/nuget/upstreamDocuments';

const UP = 'https://api.nuget.org';
const resources: UpstreamResources = {
  flat: `${UP}/v3-flatcontainer/`,
  registration: {
    semver1: [`${UP}/v3/registration5-gz-semver1/`, `${UP}/v3/registration5-semver1/`],
    semver2: [`${UP}/v3/registration5-gz-semver2/`],
  },
};
const links = feedLinks('https://feed.example');
const pairs = upstreamPairs(resources, 'semver2', links, 'semver2-gz');
const OURS = 'https://feed.example/v3/registration-gz-semver2/';

describe('rewriteUrls', () => {
  it("moves the upstream's flat container and hive URLs to this feed's, and leaves every other value", () => {
    const leaf = {
      '@id': `${UP}/v3/registration5-gz-semver2/newtonsoft.json/13.0.3.json`,
      packageContent: `${UP}/v3-flatcontainer/newtonsoft.json/13.0.3/newtonsoft.json.13.0.3.nupkg`,
      catalogEntry: {
        '@id': `${UP}/v3/catalog0/data/2023.03.08.07.46.17/newtonsoft.json.13.0.3.json`,
        dependencyGroups: [{ dependencies: [{ registration: `${UP}/v3/registration5-gz-semver2/x/index.json` }] }],
        projectUrl: 'https://www.newtonsoft.com/json',
        listed: true,
        downloads: 7,
      },
    };
    expect(rewriteUrls(leaf, pairs)).toEqual({
      '@id': `${OURS}newtonsoft.json/13.0.3.json`,
      packageContent: 'https://feed.example/v3/flat/newtonsoft.json/13.0.3/newtonsoft.json.13.0.3.nupkg',
      catalogEntry: {
        ...leaf.catalogEntry,
        dependencyGroups: [{ dependencies: [{ registration: `${OURS}x/index.json` }] }],
      },
    });
  });

  it('maps every upstream hive of a level, the longer base first', () => {
    const semver1 = upstreamPairs(resources, 'semver1', links, 'semver1');
    expect(
      rewriteUrls(
        [`${UP}/v3/registration5-semver1/a/index.json`, `${UP}/v3/registration5-gz-semver1/a/index.json`],
        semver1,
      ),
    ).toEqual([
      'https://feed.example/v3/registration/a/index.json',
      'https://feed.example/v3/registration/a/index.json',
    ]);
  });
});

describe('storedRegistrationIndex', () => {
  it("names page stubs by their place in the index and remembers the upstream's URL for each; inlined pages stay", () => {
    const index = {
      '@id': `${UP}/v3/registration5-gz-semver2/big/index.json`,
      count: 2,
      items: [
        {
          '@id': `${UP}/v3/registration5-gz-semver2/big/index.json#page/1.0.0/1.9.0`,
          items: [{ '@id': `${UP}/v3/registration5-gz-semver2/big/1.0.0.json` }],
        },
        {
          '@id': `${UP}/v3/registration5-gz-semver2/big/page/2.0.0/3.0.0.json`,
          lower: '2.0.0',
          upper: '3.0.0',
          count: 64,
        },
      ],
    };
    const stored = storedRegistrationIndex(JSON.stringify(index), pairs, links, 'semver2-gz', 'big');
    expect(stored?.pages).toEqual(['', `${UP}/v3/registration5-gz-semver2/big/page/2.0.0/3.0.0.json`]);
    const doc = JSON.parse(stored?.text ?? 'null');
    expect(doc['@id']).toBe(`${OURS}big/index.json`);
    expect(doc.items[0]['@id']).toBe(`${OURS}big/index.json#page/1.0.0/1.9.0`);
    expect(doc.items[0].items[0]['@id']).toBe(`${OURS}big/1.0.0.json`);
    expect(doc.items[1]).toEqual({ '@id': `${OURS}big/page/1.json`, lower: '2.0.0', upper: '3.0.0', count: 64 });
    expect(storedRegistrationIndex('{"items":3}', pairs, links, 'semver2-gz', 'big')).toBeNull();
    expect(storedRegistrationIndex('<html>', pairs, links, 'semver2-gz', 'big')).toBeNull();
  });

  it('gives a fetched page the URL it is served at here', () => {
    const page = { '@id': `${UP}/v3/registration5-gz-semver2/big/page/2.0.0/3.0.0.json`, items: [] };
    const text = storedRegistrationDocument(JSON.stringify(page), pairs, `${OURS}big/page/1.json`);
    expect(JSON.parse(text ?? 'null')).toEqual({ '@id': `${OURS}big/page/1.json`, items: [] });
    expect(storedRegistrationDocument('nope', pairs)).toBeNull();
  });
});

describe('upstreamVersionList', () => {
  it('reads a flat version list, lowercased, and nothing else', () => {
    expect(upstreamVersionList('{"versions":["1.0.0","2.0.0-Beta"]}')).toEqual(['1.0.0', '2.0.0-beta']);
    for (const text of ['{"versions":[1]}', '{}', '[]', 'x']) expect(upstreamVersionList(text)).toBeNull();
  });
});

describe('merged search', () => {
  const hit = (id: string) => ({
    id,
    registration: `${UP}/v3/registration5-gz-semver2/${id.toLowerCase()}/index.json`,
  });

  it('asks the upstream only for the room local hits leave, continuing after the local total', () => {
    expect(upstreamWindow(0, 20, { totalHits: 3, shown: 3 })).toEqual({ skip: 0, take: 17 });
    expect(upstreamWindow(20, 20, { totalHits: 25, shown: 5 })).toEqual({ skip: 0, take: 15 });
    expect(upstreamWindow(40, 20, { totalHits: 25, shown: 0 })).toEqual({ skip: 15, take: 20 });
    expect(upstreamWindow(0, 20, { totalHits: 90, shown: 20 })).toBeNull();
  });

  it('puts local hits first, drops upstream hits for local or refused ids, and rewrites the rest', () => {
    const local = { totalHits: 1, data: [{ id: 'Contoso.Lib', registration: 'https://feed.example/x' }] };
    const upstream = {
      totalHits: 10,
      data: [hit('contoso.lib'), hit('Newtonsoft.Json'), hit('Contoso.Other'), hit('Serilog')],
    };
    const merged = mergeHits(local, upstream, (id) => !id.startsWith('contoso.'), pairs, 3);
    expect(merged.data).toEqual([
      local.data[0],
      { id: 'Newtonsoft.Json', registration: `${OURS}newtonsoft.json/index.json` },
      { id: 'Serilog', registration: `${OURS}serilog/index.json` },
    ]);
    expect(merged.totalHits).toBe(1 + 10 - 2);
  });

  it('merges autocomplete ids the same way, case-insensitively', () => {
    const merged = mergeHits(
      { totalHits: 1, data: ['Local.Lib'] },
      { totalHits: 2, data: ['local.lib', 'Up.Lib'] },
      () => true,
      pairs,
      20,
    );
    expect(merged).toEqual({ totalHits: 2, data: ['Local.Lib', 'Up.Lib'] });
  });
});
