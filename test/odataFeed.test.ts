/**
 * The V2 (OData) feed's documents and FindPackagesById(), the one request `dotnet restore`
 * sends to a V2 source: service document, $metadata, entries and their fields, unlisted and
 * SemVer 2 versions, and paging (PackageManagement's $skip/$top of 40, NuGet.Protocol's next links).
 */
import { env } from 'cloudflare:workers';
import { XMLParser } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { insertVersionStatements, setListedStatements } from '../src/store/packages';
import { v2AllPages, v2Entry, v2Feed, v2Get, versionsOf } from './support/odataFeed';
import { FEED } from './support/nupkg';
import { versionRecord } from './support/records';

const MANY = 130;
const v = versionRecord;

beforeAll(async () => {
  const records = [
    v('Contoso.Lib', '1.0.0', {
      tags: 'lib contoso',
      title: 'Contoso Library',
      summary: 'A library.',
      downloads: 3,
      dependencyGroups: [
        { targetFramework: '.NETStandard2.0', dependencies: [{ id: 'Contoso.Core', range: '[1.0.0, )' }] },
        { targetFramework: 'net8.0', dependencies: [] },
      ],
    }),
    v('Contoso.Lib', '1.1.0', {
      downloads: 4,
      created: '2026-01-02T03:04:05.123Z',
      published: '2026-01-02T03:04:05.123Z',
    }),
    v('Contoso.Lib', '2.0.0-beta', { downloads: 1 }),
    v('Contoso.Lib', '2.0.0-rc.1'),
    v('Contoso.Lib', '2.1.0+build.5'),
    v('Contoso.Lib', '0.9.0'),
    ...Array.from({ length: MANY }, (_, i) => v('Many.Versions', `1.0.${i}`)),
    v("Quote'Id.Pkg", '1.0.0'),
  ];
  for (const record of records) await env.DB.batch(insertVersionStatements(env.DB, record));
  await env.DB.batch(setListedStatements(env.DB, 'contoso.lib', '0.9.0', false, '2026-02-01T00:00:00.000Z'));
});

describe('the service document and $metadata', () => {
  it('answers /api/v2 and /api/v2/ with an AtomPub service document whose first bytes are <?xml', async () => {
    for (const path of [`${FEED}/api/v2`, `${FEED}/api/v2/`]) {
      const response = await v2Get(path);
      expect(response.status).toBe(200);
      expect(response.headers.get('Content-Type')).toMatch(/^application\/xml/);
      const bytes = new Uint8Array(await response.clone().arrayBuffer());
      expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe('<?xml');
      const service = new XMLParser({ ignoreAttributes: false }).parse(await response.text()).service;
      expect(service['@_xml:base']).toBe(`${FEED}/api/v2/`);
      expect(service.workspace.collection['@_href']).toBe('Packages');
    }
  });

  it('serves $metadata with Packages first, Search and FindPackagesById, and IsAbsoluteLatestVersion', async () => {
    for (const path of ['$metadata', '%24metadata']) {
      const response = await v2Get(path);
      expect(response.status).toBe(200);
      const lists = new Set(['Schema', 'EntityType', 'EntityContainer', 'EntitySet', 'FunctionImport', 'Property']);
      const edmx = new XMLParser({ ignoreAttributes: false, isArray: (name) => lists.has(name) }).parse(
        await response.text(),
      );
      const schemas = edmx['edmx:Edmx']['edmx:DataServices'].Schema;
      const container = schemas.find((s: any) => s.EntityContainer).EntityContainer[0];
      expect(container.EntitySet[0]['@_Name']).toBe('Packages');
      const functions = container.FunctionImport.map((f: any) => f['@_Name']);
      expect(functions).toEqual(expect.arrayContaining(['Search', 'FindPackagesById', 'GetUpdates']));
      const entity = schemas.find((s: any) => s.EntityType).EntityType[0];
      const properties = entity.Property.map((p: any) => p['@_Name']);
      expect(properties).toEqual(expect.arrayContaining(['IsLatestVersion', 'IsAbsoluteLatestVersion', 'PackageHash']));
    }
  });
});

describe('FindPackagesById()', () => {
  it('lists every SemVer 1 version, listed and unlisted, in version order', async () => {
    const feed = await v2Feed("FindPackagesById()?id='contoso.LIB'");
    expect(versionsOf(feed)).toEqual(['0.9.0', '1.0.0', '1.1.0', '2.0.0-beta']);
    expect(feed.next).toBeNull();
  });

  it('adds SemVer 2 versions with semVerLevel=2.0.0, full version strings', async () => {
    const feed = await v2Feed("FindPackagesById()?id='Contoso.Lib'&semVerLevel=2.0.0");
    expect(versionsOf(feed)).toEqual(['0.9.0', '1.0.0', '1.1.0', '2.0.0-beta', '2.0.0-rc.1', '2.1.0+build.5']);
    const latest = feed.entries.find((e) => e.properties.Version === '2.1.0+build.5')!;
    expect(latest.properties.NormalizedVersion).toBe('2.1.0');
    expect(latest.properties.IsLatestVersion).toBe('true');
    expect(latest.contentSrc).toBe(`${FEED}/api/v2/package/Contoso.Lib/2.1.0`);
  });

  it('answers an unknown id with 200 and an empty feed (NuGet.Protocol fails restore on 404)', async () => {
    const feed = await v2Feed("FindPackagesById()?id='FoooBarr'");
    expect(feed.entries).toEqual([]);
    expect(feed.next).toBeNull();
  });

  it('reads the id literal with %27, a doubled quote, and %24-encoded options', async () => {
    expect(versionsOf(await v2Feed('FindPackagesById()?id=%27Contoso.Lib%27&%24top=2'))).toEqual(['0.9.0', '1.0.0']);
    const quoted = await v2Feed("FindPackagesById()?id='Quote''Id.Pkg'");
    expect(quoted.entries.map((e) => e.properties.Id)).toEqual(["Quote'Id.Pkg"]);
    expect(quoted.entries[0]?.atomId).toBe(`${FEED}/api/v2/Packages(Id='Quote''Id.Pkg',Version='1.0.0')`);
  });

  it('carries every field clients read, dates in UTC, unlisted as Published 1900', async () => {
    const feed = await v2Feed("FindPackagesById()?id='Contoso.Lib'");
    const byVersion = Object.fromEntries(feed.entries.map((e) => [e.properties.Version, e]));
    const first = byVersion['1.0.0']!;
    expect(first.atomId).toBe(`${FEED}/api/v2/Packages(Id='Contoso.Lib',Version='1.0.0')`);
    expect(first.title).toBe('Contoso.Lib');
    expect(first.contentSrc).toBe(`${FEED}/api/v2/package/Contoso.Lib/1.0.0`);
    expect(first.contentSelfClosing).toBe(true);
    expect(first.properties).toMatchObject({
      Id: 'Contoso.Lib',
      NormalizedVersion: '1.0.0',
      Title: 'Contoso Library',
      Summary: 'A library.',
      Description: 'Test package Contoso.Lib.',
      Authors: 'EdgeGet Tests',
      Tags: 'lib contoso',
      Dependencies: 'Contoso.Core:[1.0.0, ):netstandard2.0|::net8.0',
      IsLatestVersion: 'false',
      IsAbsoluteLatestVersion: 'false',
      IsPrerelease: 'false',
      PackageHash: 'AAAA',
      PackageHashAlgorithm: 'SHA512',
      PackageSize: '100',
      VersionDownloadCount: '3',
      DownloadCount: '8',
      Created: '2026-01-01T00:00:00.000Z',
      Published: '2026-01-01T00:00:00.000Z',
      ProjectUrl: null,
    });
    expect(first.types).toMatchObject({
      PackageSize: 'Edm.Int64',
      Published: 'Edm.DateTime',
      IsLatestVersion: 'Edm.Boolean',
    });
    expect(first.properties.GalleryDetailsUrl).toBe(`${FEED}/packages/Contoso.Lib/1.0.0`);
    expect(byVersion['1.1.0']?.properties).toMatchObject({ IsLatestVersion: 'true', IsAbsoluteLatestVersion: 'false' });
    // Without semVerLevel the latest version a SemVer 1 client may see is 2.0.0-beta.
    expect(byVersion['2.0.0-beta']?.properties).toMatchObject({
      IsAbsoluteLatestVersion: 'true',
      IsPrerelease: 'true',
    });
    expect(byVersion['0.9.0']?.properties.Published).toBe('1900-01-01T00:00:00');
    for (const entry of feed.entries) expect(entry.properties.Created).toMatch(/Z$/);
  });

  it('returns exactly $top entries when that many remain, then the rest: PackageManagement pages by 40', async () => {
    const pages = [0, 40, 80, 120].map((skip) => `FindPackagesById()?id='Many.Versions'&$skip=${skip}&$top=40`);
    const counts: number[] = [];
    const seen: string[] = [];
    for (const path of pages) {
      const feed = await v2Feed(path);
      counts.push(feed.entries.length);
      seen.push(...(versionsOf(feed) as string[]));
      expect(feed.next).toBeNull();
    }
    expect(counts).toEqual([40, 40, 40, MANY - 120]);
    expect(new Set(seen).size).toBe(MANY);
  });

  it('pages by at most 100 with absolute, never repeated next links, followed to the end', async () => {
    const { entries, pages } = await v2AllPages(
      `${FEED}/api/v2/FindPackagesById()?id='Many.Versions'&semVerLevel=2.0.0`,
    );
    expect(pages).toHaveLength(2);
    expect(pages[1]).toMatch(new RegExp(`^${FEED}/api/v2/FindPackagesById\\(\\)\\?`));
    expect(pages[1]).toContain('semVerLevel=2.0.0');
    expect(entries.map((e) => e.properties.Version)).toEqual(Array.from({ length: MANY }, (_, i) => `1.0.${i}`));
    // A $top over 100 is served in pages too, and the pages add up to it.
    const capped = await v2AllPages("FindPackagesById()?id='Many.Versions'&$top=110");
    expect(capped.entries).toHaveLength(110);
    expect(capped.pages).toHaveLength(2);
  });
});

describe("Packages(Id='…',Version='…')", () => {
  it('answers one entry as the document root, for any form of the version', async () => {
    for (const path of [
      "Packages(Id='Contoso.Lib',Version='1.0')",
      'Packages(Id=%27contoso.lib%27,Version=%271.0.0%27)',
    ]) {
      const entry = await v2Entry(path);
      expect(entry.properties.Version).toBe('1.0.0');
      expect(entry.contentSrc).toBe(`${FEED}/api/v2/package/Contoso.Lib/1.0.0`);
    }
    const unlisted = await v2Entry("Packages(Id='Contoso.Lib',Version='0.9.0')");
    expect(unlisted.properties.Published).toBe('1900-01-01T00:00:00');
  });

  it('is 404 for a missing version, and for a SemVer 2 version without semVerLevel', async () => {
    expect((await v2Get("Packages(Id='Contoso.Lib',Version='9.9.9')")).status).toBe(404);
    expect((await v2Get("Packages(Id='Nope.Nothing',Version='1.0.0')")).status).toBe(404);
    expect((await v2Get("Packages(Id='Contoso.Lib',Version='2.0.0-rc.1')")).status).toBe(404);
    const semVer2 = await v2Entry("Packages(Id='Contoso.Lib',Version='2.0.0-rc.1')?semVerLevel=2.0.0");
    expect(semVer2.properties.Version).toBe('2.0.0-rc.1');
  });
});

describe('paths the feed does not serve', () => {
  it('is 404 for unknown resources and 400 for unsupported options', async () => {
    expect((await v2Get('Nothing()')).status).toBe(404);
    expect((await v2Get('FindPackagesById')).status).toBe(404);
    const expand = await v2Get("FindPackagesById()?id='Contoso.Lib'&$expand=Owners");
    expect(expand.status).toBe(400);
    expect(await expand.text()).toContain('$expand');
    expect((await v2Get('FindPackagesById()')).status).toBe(400);
    expect((await v2Get("FindPackagesById()?id='Contoso.Lib'&$top=abc")).status).toBe(400);
  });
});
