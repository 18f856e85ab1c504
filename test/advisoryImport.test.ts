/**
 * POST /admin/advisories/import (issue 15): OSV documents as the GitHub Advisory Database
 * publishes them, applied to the ids on the feed; a dry run, a re-run and a malformed document
 * change nothing, a withdrawn advisory is removed, and a full updates page folds into base.
 */
import { exports } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildNupkg, FEED, pushRequest, TEST_API_KEY } from './support/nupkg';

function importing(documents: unknown[], query = ''): Promise<Response> {
  return exports.default.fetch(
    new Request(`${FEED}/admin/advisories/import${query}`, {
      method: 'POST',
      headers: { 'X-NuGet-ApiKey': TEST_API_KEY, 'Content-Type': 'application/json' },
      body: JSON.stringify({ documents }),
    }),
  );
}
const get = async (path: string) => (await exports.default.fetch(new Request(`${FEED}${path}`))).json() as Promise<any>;
async function stored(): Promise<any[]> {
  const request = new Request(`${FEED}/admin/advisories`, { headers: { 'X-NuGet-ApiKey': TEST_API_KEY } });
  return ((await (await exports.default.fetch(request)).json()) as { advisories: any[] }).advisories;
}

/** An advisory in the GitHub Advisory Database's OSV shape. */
function ghsa(id: string, packageName: string, events: Record<string, string>[], extra: Record<string, unknown> = {}) {
  return {
    schema_version: '1.4.0',
    id,
    modified: '2026-11-01T00:00:00Z',
    published: '2026-10-01T00:00:00Z',
    aliases: ['CVE-2026-0001'],
    summary: `${packageName} mishandles input`,
    details: 'A crafted input makes it crash.',
    severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
    affected: [{ package: { ecosystem: 'NuGet', name: packageName }, ranges: [{ type: 'ECOSYSTEM', events }] }],
    references: [{ type: 'ADVISORY', url: 'https://nvd.nist.gov/vuln/detail/CVE-2026-0001' }],
    database_specific: { cwe_ids: ['CWE-20'], severity: 'HIGH', github_reviewed: true },
    ...extra,
  };
}
const FIXED_IN_1_2 = ghsa('GHSA-aaaa-bbbb-cccc', 'Imp.Lib', [{ introduced: '0' }, { fixed: '1.2.0' }]);
const ELSEWHERE = ghsa('GHSA-dddd-eeee-ffff', 'Not.On.Feed', [{ introduced: '1.0.0' }]);
const URL_1 = 'https://github.com/advisories/GHSA-aaaa-bbbb-cccc';

beforeAll(async () => {
  for (const version of ['1.0.0', '1.2.0', '2.0.0']) {
    expect((await exports.default.fetch(pushRequest(buildNupkg({ id: 'Imp.Lib', version })))).status).toBe(201);
  }
});

describe('importing OSV advisories', () => {
  it('reports what a dry run would do and writes nothing', async () => {
    const response = await importing([{ name: 'a.json', osv: FIXED_IN_1_2 }], '?dryRun=true');
    expect(response.status).toBe(200);
    const report = (await response.json()) as any;
    expect(report.dryRun).toBe(true);
    expect(report.added).toEqual([
      { advisory: 'GHSA-aaaa-bbbb-cccc', id: 'Imp.Lib', url: URL_1, versions: ['(, 1.2.0)'] },
    ]);
    expect(await stored()).toEqual([]);
  });

  it('applies advisories for ids on the feed, skips the rest, and a re-run changes nothing', async () => {
    const documents = [
      { name: 'a.json', osv: FIXED_IN_1_2 },
      { name: 'b.json', osv: ELSEWHERE },
    ];
    const report = (await (await importing(documents)).json()) as any;
    expect(report.added.map((a: any) => a.url)).toEqual([URL_1]);
    expect(report.skipped).toEqual([
      { advisory: 'GHSA-dddd-eeee-ffff', id: 'Not.On.Feed', reason: 'not on this feed' },
    ]);
    expect((await get('/v3/vulnerabilities/updates.json'))['imp.lib']).toEqual([
      { url: URL_1, severity: 2, versions: '(, 1.2.0)' },
    ]);
    const entries = (await get('/v3/registration-gz-semver2/imp.lib/index.json')).items[0].items;
    expect(entries.map((item: any) => item.catalogEntry.vulnerabilities ?? null)).toEqual([
      [{ advisoryUrl: URL_1, severity: '2' }],
      null,
      null,
    ]);
    expect((await stored())[0]).toMatchObject({ source: 'GHSA-aaaa-bbbb-cccc', severity: 'high' });

    const updated = (await get('/v3/vulnerabilities/index.json'))[1]['@updated'];
    const again = (await (await importing(documents)).json()) as any;
    expect(again.unchanged.map((a: any) => a.url)).toEqual([URL_1]);
    expect([again.added, again.changed, again.removed]).toEqual([[], [], []]);
    expect((await get('/v3/vulnerabilities/index.json'))[1]['@updated']).toBe(updated);
  });

  it('refuses a request holding a malformed document, naming it, and changes nothing', async () => {
    const before = await stored();
    const newer = ghsa('GHSA-gggg-hhhh-iiii', 'Imp.Lib', [{ introduced: '2.0.0' }]);
    const response = await importing([
      { name: 'new.json', osv: newer },
      { name: 'broken.json', osv: { id: 'GHSA-x', affected: 'nope' } },
    ]);
    expect(response.status).toBe(400);
    expect(((await response.json()) as any).error).toMatch(/^broken\.json is not a usable OSV advisory: .*affected/);
    expect(await stored()).toEqual(before);
    expect((await importing([])).status).toBe(400);
  });

  it('removes an advisory the database has withdrawn', async () => {
    const withdrawn = { ...FIXED_IN_1_2, withdrawn: '2026-11-20T00:00:00Z' };
    const report = (await (await importing([{ name: 'a.json', osv: withdrawn }])).json()) as any;
    expect(report.removed.map((a: any) => a.url)).toEqual([URL_1]);
    expect(await stored()).toEqual([]);
    const again = (await (await importing([{ name: 'a.json', osv: withdrawn }])).json()) as any;
    expect(again.skipped).toEqual([{ advisory: 'GHSA-aaaa-bbbb-cccc', id: 'Imp.Lib', reason: 'withdrawn' }]);
  });

  it('folds the updates page into base once it passes 100 rows; both pages then change', async () => {
    const before = Object.fromEntries(
      ((await get('/v3/vulnerabilities/index.json')) as any[]).map((p) => [p['@name'], p['@updated']]),
    );
    const events = Array.from({ length: 101 }, (_, i): Record<string, string>[] => [
      { introduced: `3.${i}.0` },
      { fixed: `3.${i}.1` },
    ]).flat();
    const many = ghsa('GHSA-jjjj-kkkk-llll', 'Imp.Lib', events);
    expect(((await (await importing([{ name: 'many.json', osv: many }])).json()) as any).added).toHaveLength(1);
    const after = Object.fromEntries(
      ((await get('/v3/vulnerabilities/index.json')) as any[]).map((p) => [p['@name'], p['@updated']]),
    );
    expect(after.base).not.toBe(before.base);
    expect(after.updates).not.toBe(before.updates);
    expect(await get('/v3/vulnerabilities/updates.json')).toEqual({});
    expect((await get('/v3/vulnerabilities/base.json'))['imp.lib']).toHaveLength(101);
  });
});
