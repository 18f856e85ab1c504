/** OSV documents for the parser's tests (test/nuget/osv*.test.ts), shaped as the GitHub Advisory Database publishes them. */
import { type OsvRecord, parseOsv } from '../../src/nuget/osv';

export const GHSA_URL = 'https://github.com/advisories/GHSA-5crp-9r3c-p9vr';

/** Shaped like a GitHub Advisory Database export (advisories/github-reviewed/...). */
export function githubAdvisory(): Record<string, any> {
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
export function plain(entry: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'OSV-2024-1',
    references: [{ type: 'ADVISORY', url: 'https://example.org/osv-2024-1' }],
    database_specific: { severity: 'MODERATE' },
    affected: [{ package: { ecosystem: 'NuGet', name: 'Contoso.Lib' }, ...entry }],
    ...extra,
  };
}

export const range = (...events: Record<string, unknown>[]) => ({ type: 'ECOSYSTEM', events });

export function read(document: unknown): OsvRecord {
  const result = parseOsv(document);
  if ('problem' in result) throw new Error(`unexpected problem: ${result.problem}`);
  return result;
}

export function problem(document: unknown): string {
  const result = parseOsv(document);
  if (!('problem' in result)) throw new Error('expected a problem');
  return result.problem;
}

export const severityOf = (document: unknown) => read(document).advisories.map((a) => a.severity);

export const versionsOf = (document: unknown) => read(document).advisories.map((a) => a.versions);
export const reasonsOf = (document: unknown) => read(document).skipped.map((s) => s.reason);
