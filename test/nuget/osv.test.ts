import { describe, expect, it } from 'vitest';
import { MAX_OSV_ADVISORIES } from '../../src/nuget/osv';
import { GHSA_URL, githubAdvisory, plain, problem, range, read, severityOf } from './osvFixtures';

describe('a GitHub Advisory Database document', () => {
  it('becomes one advisory linked the way nuget.org links GitHub advisories', () => {
    expect(read(githubAdvisory())).toEqual({
      osvId: 'GHSA-5crp-9r3c-p9vr',
      withdrawn: false,
      advisories: [{ packageId: 'Newtonsoft.Json', url: GHSA_URL, severity: 2, versions: '(, 13.0.1)' }],
      skipped: [],
    });
  });

  it('keeps the advisories of a withdrawn advisory so they can be removed', () => {
    const record = read({ ...githubAdvisory(), withdrawn: '2024-03-01T00:00:00Z' });
    expect(record.withdrawn).toBe(true);
    expect(record.advisories).toHaveLength(1);
  });

  it('accepts a withdrawn advisory that carries no affected list', () => {
    expect(read({ id: 'GHSA-aaaa-bbbb-cccc', withdrawn: '2024-03-01T00:00:00Z' })).toEqual({
      osvId: 'GHSA-aaaa-bbbb-cccc',
      withdrawn: true,
      advisories: [],
      skipped: [],
    });
  });
});

describe('packages', () => {
  it('skips other ecosystems, naming them, and still reads the NuGet entry', () => {
    const document = githubAdvisory();
    document.affected.unshift({
      package: { ecosystem: 'npm', name: 'left-pad' },
      ranges: [range({ introduced: '0' }, { fixed: '1.3.0' })],
    });
    const record = read(document);
    expect(record.advisories.map((a) => a.packageId)).toEqual(['Newtonsoft.Json']);
    expect(record.skipped).toEqual([{ packageId: 'left-pad', reason: 'affected[0]: ecosystem "npm" is not NuGet' }]);
  });

  it('skips an entry whose name is no valid NuGet package id', () => {
    const document = plain({ package: { ecosystem: 'NuGet', name: 'bad id!' }, ranges: [range({ introduced: '0' })] });
    expect(read(document).skipped).toEqual([
      { packageId: 'bad id!', reason: 'affected[0]: "bad id!" is not a valid NuGet package id' },
    ]);
  });

  it('skips an entry with no package with a null package id', () => {
    const document = {
      id: 'OSV-1',
      affected: [{ ranges: [{ type: 'GIT', repo: 'x', events: [{ introduced: 'a' }] }] }],
    };
    const record = read(document);
    expect(record.advisories).toEqual([]);
    expect(record.skipped).toEqual([{ packageId: null, reason: expect.stringMatching(/^affected\[0\]: no package/) }]);
  });
});

describe('advisory URL', () => {
  it('links a GHSA id to GitHub even when references name another advisory', () => {
    expect(read(githubAdvisory()).advisories[0]?.url).toBe(GHSA_URL);
  });

  it('otherwise takes the first ADVISORY reference, then the first reference', () => {
    const references = [
      { type: 'WEB', url: 'https://example.org/blog' },
      { type: 'ADVISORY', url: 'https://example.org/advisory' },
    ];
    const entry = { ranges: [range({ introduced: '0' })] };
    expect(read(plain(entry, { references })).advisories[0]?.url).toBe('https://example.org/advisory');
    const web = [references[0], { type: 'REPORT', url: 'https://example.org/report' }];
    expect(read(plain(entry, { references: web })).advisories[0]?.url).toBe('https://example.org/blog');
  });

  it('passes over references that are not absolute http(s) URLs', () => {
    const references = [
      { type: 'ADVISORY', url: 'javascript:alert(1)' },
      { type: 'ADVISORY', url: '/relative/advisory' },
      { type: 'WEB', url: 'http://example.org/web' },
    ];
    const document = plain({ ranges: [range({ introduced: '0' })] }, { references });
    expect(read(document).advisories[0]?.url).toBe('http://example.org/web');
  });

  it('skips every NuGet entry when there is no URL to give', () => {
    const document = plain({ ranges: [range({ introduced: '0' })] }, { references: [{ type: 'WEB', url: 'ftp://x' }] });
    (document.affected as unknown[]).push({ package: { ecosystem: 'PyPI', name: 'requests' } });
    const record = read(document);
    expect(record.advisories).toEqual([]);
    expect(record.skipped.map((s) => s.reason)).toEqual([
      expect.stringMatching(/^affected\[0\]: no advisory URL/),
      'affected[1]: ecosystem "PyPI" is not NuGet',
    ]);
  });
});

describe('deduplication', () => {
  it('keeps one advisory per package (any casing), URL and range', () => {
    const document = plain({
      ranges: [range({ introduced: '1.0' }, { fixed: '2.0' }), range({ introduced: '1.0.0' }, { fixed: '2.0.0' })],
    });
    (document.affected as unknown[]).push({
      package: { ecosystem: 'NuGet', name: 'contoso.lib' },
      ranges: [range({ introduced: '1.0.0' }, { fixed: '2.0.0' })],
    });
    expect(read(document).advisories).toEqual([
      { packageId: 'Contoso.Lib', url: 'https://example.org/osv-2024-1', severity: 1, versions: '[1.0.0, 2.0.0)' },
    ]);
  });

  it('keeps the graver severity when duplicates disagree', () => {
    const document = plain({ ranges: [range({ introduced: '0' })] });
    (document.affected as unknown[]).push({
      package: { ecosystem: 'NuGet', name: 'Contoso.Lib' },
      ranges: [range({ introduced: '0' })],
      database_specific: { severity: 'CRITICAL' },
    });
    expect(severityOf(document)).toEqual([3]);
  });

  it('keeps distinct ranges and packages apart', () => {
    const document = plain({ ranges: [range({ introduced: '0' }, { fixed: '1.0.0' })] });
    (document.affected as unknown[]).push({
      package: { ecosystem: 'NuGet', name: 'Contoso.Other' },
      ranges: [range({ introduced: '0' }, { fixed: '1.0.0' }), range({ introduced: '0' }, { last_affected: '1.0.0' })],
    });
    expect(read(document).advisories.map((a) => `${a.packageId} ${a.versions}`)).toEqual([
      'Contoso.Lib (, 1.0.0)',
      'Contoso.Other (, 1.0.0)',
      'Contoso.Other (, 1.0.0]',
    ]);
  });
});

describe('bounds', () => {
  const exactVersions = (count: number) => plain({ versions: Array.from({ length: count }, (_, i) => `1.0.${i}`) });

  it(`accepts ${MAX_OSV_ADVISORIES} advisories and refuses one more`, () => {
    expect(read(exactVersions(MAX_OSV_ADVISORIES)).advisories).toHaveLength(MAX_OSV_ADVISORIES);
    expect(problem(exactVersions(MAX_OSV_ADVISORIES + 1))).toBe(
      `affected yields more than ${MAX_OSV_ADVISORIES} NuGet advisories; split the document`,
    );
  });
});

describe('problems', () => {
  const entry = (value: unknown) => ({
    id: 'OSV-1',
    affected: [{ package: { ecosystem: 'NuGet', name: 'A' } }, {}, value],
  });
  const events = (value: unknown) =>
    entry({ package: { ecosystem: 'NuGet', name: 'A' }, ranges: [{ type: 'ECOSYSTEM', events: value }] });
  const EVENTS = 'affected[2].ranges[0].events must be an array of {introduced|fixed|last_affected|limit} objects';

  it.each([
    ['null', null, /JSON object/],
    ['an array', [], /JSON object/],
    ['text', 'GHSA-x', /JSON object/],
    ['no id', { affected: [] }, /^id /],
    ['a numeric id', { id: 7, affected: [] }, /^id /],
    ['an empty id', { id: '', affected: [] }, /^id /],
    ['no affected and no withdrawn', { id: 'OSV-1' }, /^affected must be an array/],
    ['affected as an object', { id: 'OSV-1', affected: {} }, /^affected must be an array/],
    ['a numeric schema_version', { id: 'OSV-1', schema_version: 1.4, affected: [] }, /^schema_version/],
    ['a numeric withdrawn', { id: 'OSV-1', withdrawn: 1, affected: [] }, /^withdrawn/],
    ['severity as an object', { id: 'OSV-1', severity: {}, affected: [] }, /^severity must be an array/],
    ['a severity without score', { id: 'OSV-1', severity: [{ type: 'CVSS_V3' }], affected: [] }, /^severity/],
    ['references as text', { id: 'OSV-1', references: 'x', affected: [] }, /^references must be an array/],
    ['a numeric reference url', { id: 'OSV-1', references: [{ type: 'WEB', url: 1 }], affected: [] }, /^references/],
    ['database_specific as text', { id: 'OSV-1', database_specific: 'HIGH', affected: [] }, /^database_specific must/],
    ['an entry that is no object', entry(3), /^affected\[2\] must be an object/],
    ['a package as text', entry({ package: 'NuGet/A' }), /^affected\[2\]\.package must be an object/],
    ['a package with no name', entry({ package: { ecosystem: 'NuGet' } }), /^affected\[2\]\.package/],
    ['ranges as an object', entry({ ranges: {} }), /^affected\[2\]\.ranges must be an array/],
    ['a range with no type', entry({ ranges: [{ events: [] }] }), /^affected\[2\]\.ranges\[0\] must be an object/],
    ['versions with a number', entry({ versions: ['1.0.0', 2] }), /^affected\[2\]\.versions must be an array/],
    ['an entry severity as an object', entry({ severity: {} }), /^affected\[2\]\.severity must be an array/],
    ['an entry database_specific as text', entry({ database_specific: 'HIGH' }), /^affected\[2\]\.database_specific/],
    ['an ecosystem_specific as text', entry({ ecosystem_specific: 'HIGH' }), /^affected\[2\]\.ecosystem_specific/],
  ])('names the field for %s', (_, document, message) => {
    expect(problem(document)).toMatch(message);
  });

  it.each([
    ['missing', undefined],
    ['an object', { introduced: '0' }],
    ['two keys in one event', [{ introduced: '0', fixed: '1.0.0' }]],
    ['an unknown key', [{ introduced: '0' }, { patched: '1.0.0' }]],
    ['a numeric version', [{ introduced: 0 }]],
    ['an event that is no object', ['0']],
  ])('refuses events that are %s', (_, value) => {
    expect(problem(events(value))).toBe(EVENTS);
  });

  it('reports problems in entries of other ecosystems too, since the format is the same', () => {
    expect(problem(entry({ package: { ecosystem: 'npm', name: 'x' }, ranges: 'all' }))).toMatch(
      /^affected\[2\]\.ranges/,
    );
  });
});
