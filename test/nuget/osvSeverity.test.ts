/** OSV advisories' severity: GitHub's labels, their overrides per entry, and the CVSS v3 fallback. */
import { describe, expect, it } from 'vitest';
import { cvssV3BaseScore } from '../../src/nuget/osv';
import { githubAdvisory, plain, range, reasonsOf, severityOf } from './osvFixtures';

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
