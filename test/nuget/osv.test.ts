import { describe, expect, it } from 'vitest';
import { MAX_OSV_ADVISORIES, type OsvRecord, cvssV3BaseScore, parseOsv } from '../../src/nuget/osv';

const GHSA_URL = 'https://github.com/advisories/GHSA-5crp-9r3c-p9vr';

/** Shaped like a GitHub Advisory Database export (advisories/github-reviewed/...). */
function githubAdvisory(): Record<string, any> {
  return {
    schema_version: '1.4.0',
    id: 'GHSA-5crp-9r3c-p9vr',
    modified: '2024-02-16T08:14:38Z',
    published: '2022-06-22T15:08:47Z',
    aliases: ['CVE-2024-21907'],
    summary: 'Improper Handling of Exceptional Conditions in Newtonsoft.Json',
    details: 'Newtonsoft.Json prior to version 13.0.1 is vulnerable to Insecure Defaults.',
    severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H' }],
    affected: [
      {
        package: { ecosystem: 'NuGet', name: 'Newtonsoft.Json' },
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '13.0.1' }] }],
        database_specific: { source: 'https://github.com/github/advisory-database/blob/main/x.json' },
      },
    ],
    references: [
      { type: 'ADVISORY', url: 'https://nvd.nist.gov/vuln/detail/CVE-2024-21907' },
      { type: 'WEB', url: 'https://github.com/JamesNK/Newtonsoft.Json/issues/2457' },
      { type: 'PACKAGE', url: 'https://github.com/JamesNK/Newtonsoft.Json' },
    ],
    database_specific: {
      cwe_ids: ['CWE-755'],
      severity: 'HIGH',
      github_reviewed: true,
      github_reviewed_at: '2022-06-22T15:08:47Z',
      nvd_published_at: null,
    },
  };
}

/** A non-GitHub advisory with one NuGet entry, no severity label and no references. */
function plain(entry: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'OSV-2024-1',
    references: [{ type: 'ADVISORY', url: 'https://example.org/osv-2024-1' }],
    database_specific: { severity: 'MODERATE' },
    affected: [{ package: { ecosystem: 'NuGet', name: 'Contoso.Lib' }, ...entry }],
    ...extra,
  };
}

const range = (...events: Record<string, unknown>[]) => ({ type: 'ECOSYSTEM', events });

function read(document: unknown): OsvRecord {
  const result = parseOsv(document);
  if ('problem' in result) throw new Error(`unexpected problem: ${result.problem}`);
  return result;
}

function problem(document: unknown): string {
  const result = parseOsv(document);
  if (!('problem' in result)) throw new Error('expected a problem');
  return result.problem;
}

const versionsOf = (document: unknown) => read(document).advisories.map((a) => a.versions);
const severityOf = (document: unknown) => read(document).advisories.map((a) => a.severity);
const reasonsOf = (document: unknown) => read(document).skipped.map((s) => s.reason);

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

describe('ranges', () => {
  it('turns introduced/fixed pairs into half-open ranges, one advisory per pair', () => {
    const events = [{ introduced: '1.0' }, { fixed: '1.2.3' }, { introduced: '2.0.0-beta.1' }, { fixed: '2.0.1' }];
    expect(versionsOf(plain({ ranges: [range(...events)] }))).toEqual(['[1.0.0, 1.2.3)', '[2.0.0-beta.1, 2.0.1)']);
  });

  it('reads every range of an entry, SEMVER as well as ECOSYSTEM', () => {
    const ranges = [
      range({ introduced: '1.0.0' }, { fixed: '1.1.0' }),
      { ...range({ introduced: '3.0.0' }), type: 'SEMVER' },
    ];
    expect(versionsOf(plain({ ranges }))).toEqual(['[1.0.0, 1.1.0)', '[3.0.0, )']);
  });

  it('closes last_affected inclusively', () => {
    expect(versionsOf(plain({ ranges: [range({ introduced: '1.0.0' }, { last_affected: '1.4.0' })] }))).toEqual([
      '[1.0.0, 1.4.0]',
    ]);
    expect(versionsOf(plain({ ranges: [range({ introduced: '0' }, { last_affected: '1.4.0' })] }))).toEqual([
      '(, 1.4.0]',
    ]);
  });

  it('ends a limit like a fixed version', () => {
    expect(versionsOf(plain({ ranges: [range({ introduced: '1.0.0' }, { limit: '2.0.0' })] }))).toEqual([
      '[1.0.0, 2.0.0)',
    ]);
  });

  it('leaves an interval with nothing after its introduced open above', () => {
    expect(versionsOf(plain({ ranges: [range({ introduced: '4.1' })] }))).toEqual(['[4.1.0, )']);
    expect(versionsOf(plain({ ranges: [range({ introduced: '0' })] }))).toEqual(['(, )']);
  });

  it('writes ranges in the normalized form, so equal ranges are equal text', () => {
    const events = [{ introduced: '01.0' }, { fixed: '1.04.1.0' }];
    expect(versionsOf(plain({ ranges: [range(...events)] }))).toEqual(['[1.0.0, 1.4.1)']);
  });

  it('skips a GIT range or one of an unknown type, keeping the entry', () => {
    const git = { type: 'GIT', repo: 'https://github.com/contoso/lib', events: [{ introduced: 'abc123' }] };
    const record = read(plain({ ranges: [git, { type: 'ZZZ', events: [] }, range({ introduced: '1.0.0' })] }));
    expect(record.advisories.map((a) => a.versions)).toEqual(['[1.0.0, )']);
    expect(record.skipped).toEqual([
      { packageId: 'Contoso.Lib', reason: expect.stringMatching(/^affected\[0\]: ranges\[0\]: GIT/) },
      { packageId: 'Contoso.Lib', reason: expect.stringMatching(/^affected\[0\]: ranges\[1\]: .*"ZZZ"/) },
    ]);
  });

  it('skips a range naming a version NuGet cannot parse, keeping the others', () => {
    const ranges = [
      range({ introduced: '1.0.0' }, { fixed: 'v2' }),
      range({ introduced: '3.0.0' }, { fixed: '3.1.0' }),
    ];
    const record = read(plain({ ranges }));
    expect(record.advisories.map((a) => a.versions)).toEqual(['[3.0.0, 3.1.0)']);
    expect(record.skipped.map((s) => s.reason)).toEqual(['affected[0]: ranges[0]: "v2" is not a NuGet version']);
  });

  it.each([
    ['a fixed with no introduced', [{ fixed: '1.0.0' }], /fixed "1.0.0" closes no introduced/],
    ['two introduced in a row', [{ introduced: '1.0.0' }, { introduced: '2.0.0' }], /introduced "2.0.0" follows/],
    ['bounds out of order', [{ introduced: '2.0.0' }, { fixed: '1.0.0' }], /\[2.0.0, 1.0.0\) holds no version/],
    ['an empty fixed range', [{ introduced: '1.0.0' }, { fixed: '1.0.0' }], /holds no version/],
    ['no events', [], /introduce no version/],
  ])('skips a range with %s', (_, events, reason) => {
    const record = read(plain({ ranges: [range(...events)] }));
    expect(record.advisories).toEqual([]);
    expect(record.skipped.map((s) => s.reason)).toEqual([expect.stringMatching(reason)]);
  });

  it('uses explicit versions as exact ranges when no range can be read', () => {
    const git = { type: 'GIT', repo: 'https://github.com/contoso/lib', events: [{ introduced: 'abc123' }] };
    const record = read(plain({ ranges: [git], versions: ['1.0', '1.1.0-rc.1', 'not-a-version'] }));
    expect(record.advisories.map((a) => a.versions)).toEqual(['[1.0.0, 1.0.0]', '[1.1.0-rc.1, 1.1.0-rc.1]']);
    expect(record.skipped.map((s) => s.reason)).toEqual([
      expect.stringMatching(/ranges\[0\]: GIT/),
      'affected[0]: versions: "not-a-version" is not a NuGet version',
    ]);
  });

  it('does not repeat explicit versions that readable ranges already cover', () => {
    const document = plain({
      ranges: [range({ introduced: '1.0.0' }, { fixed: '1.2.0' })],
      versions: ['1.0.0', '1.1.0'],
    });
    expect(versionsOf(document)).toEqual(['[1.0.0, 1.2.0)']);
  });

  it('skips an entry with neither ranges nor versions', () => {
    expect(reasonsOf(plain({}))).toEqual(['affected[0]: no ranges and no versions']);
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

describe('severity', () => {
  const entry = { ranges: [range({ introduced: '0' })] };
  const labelled = (severity: unknown, more: Record<string, unknown> = {}) =>
    plain({ ...entry, ...more }, { database_specific: { severity } });

  it.each([
    ['LOW', 0],
    ['moderate', 1],
    ['MEDIUM', 1],
    ['High', 2],
    ['CRITICAL', 3],
  ])('reads the GitHub label %s', (label, severity) => {
    expect(severityOf(labelled(label))).toEqual([severity]);
  });

  it("lets an entry's database_specific or ecosystem_specific severity override the document's", () => {
    expect(severityOf(labelled('LOW', { database_specific: { severity: 'CRITICAL' } }))).toEqual([3]);
    expect(severityOf(labelled('LOW', { ecosystem_specific: { severity: 'HIGH' } }))).toEqual([2]);
  });

  it('skips an entry whose label is no GitHub severity', () => {
    expect(reasonsOf(labelled('URGENT'))).toEqual([
      'affected[0]: database_specific.severity "URGENT" is not LOW, MODERATE, HIGH or CRITICAL',
    ]);
    expect(reasonsOf(labelled(4))).toEqual([expect.stringMatching(/severity 4 is not/)]);
  });

  it('falls back to the CVSS v3 base score when no label is given', () => {
    // A null label, as unreviewed GitHub advisories carry, counts as none.
    const scored = (score: string) => ({ ...labelled(null), severity: [{ type: 'CVSS_V3', score }] });
    expect(severityOf(scored('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'))).toEqual([3]);
    expect(severityOf(scored('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N'))).toEqual([2]);
    expect(severityOf(scored('CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N'))).toEqual([1]);
    expect(severityOf(scored('CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:N/A:L'))).toEqual([0]);
  });

  it("prefers the entry's own CVSS vector to the document's", () => {
    const document = {
      ...labelled(undefined, {
        severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:N/A:L' }],
      }),
      severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
    };
    expect(severityOf(document)).toEqual([0]);
  });

  it('prefers a label to a CVSS vector', () => {
    const document = githubAdvisory();
    document.database_specific.severity = 'LOW';
    expect(severityOf(document)).toEqual([0]);
  });

  it.each([
    ['no vector at all', [], /no severity/],
    ['only a CVSS v2 vector', [{ type: 'CVSS_V2', score: 'AV:N/AC:L/Au:N/C:P/I:P/A:P' }], /no severity/],
    ['a malformed vector', [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N' }], /is not a CVSS v3 base vector/],
    ['a vector scoring 0.0', [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N' }], /0\.0/],
  ])('skips an entry with no label and %s', (_, severity, reason) => {
    expect(reasonsOf({ ...labelled(undefined), severity })).toEqual([expect.stringMatching(reason)]);
  });
});

describe('cvssV3BaseScore', () => {
  // Base scores published with the vectors (CVSS v3.1 specification examples and NVD).
  it.each([
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N', 7.5],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', 6.1],
    ['CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H', 9.9],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', 10],
    ['CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:C/C:N/I:H/A:H', 9.3],
    ['CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 6.8],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:L/I:N/A:N', 5.8],
    ['CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H', 7.8],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H', 9.6],
    ['CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:N/A:L', 3.7],
    ['CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H', 8.8],
    ['CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N', 6.4],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N', 0],
  ])('scores %s as %d', (vector, score) => {
    expect(cvssV3BaseScore(vector)).toBe(score);
  });

  it('reads metrics in any order and ignores temporal and environmental ones', () => {
    expect(cvssV3BaseScore('CVSS:3.1/A:H/I:H/C:H/S:U/UI:N/PR:N/AC:L/AV:N')).toBe(9.8);
    expect(cvssV3BaseScore('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/RL:O/RC:C/MAV:L')).toBe(9.8);
  });

  it.each([
    'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H',
    'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/A:H',
    'CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/constructor:name',
    'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H:H',
    'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:',
    'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
    'AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
  ])('refuses %s', (vector) => {
    expect(cvssV3BaseScore(vector)).toBeNull();
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
