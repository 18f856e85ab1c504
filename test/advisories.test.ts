/**
 * Vulnerability advisories through the admin API (issue 15): registration (SemVer 2 hive only,
 * severity a string), search (the latest version's, severity an integer) and VulnerabilityInfo
 * (§8.1: base + updates pages, @updated moving only with its page), and what a change rewrites.
 */
import { env, exports } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { rebuildDocuments } from '../src/documents/rebuild';
import { auditEntries } from '../src/store/auditLog';
import { documentsOfId } from '../src/store/documents';
import { insertVersion } from '../src/store/packages';
import { admin, getJson as get, registrationEntries as entries } from './support/adminApi';
import { buildNupkg, pushRequest } from './support/nupkg';
import { versionRecord } from './support/records';

const A = 'https://advisories.test/A';
const B = 'https://advisories.test/B';

const vulnerabilitiesByVersion = async (hive = 'registration-gz-semver2') =>
  Object.fromEntries((await entries(hive, 'vuln.lib')).map((e: any) => [e.version, e.vulnerabilities ?? null]));
const pagesUpdated = async () =>
  Object.fromEntries(((await get('/v3/vulnerabilities/index.json')) as any[]).map((p) => [p['@name'], p['@updated']]));
const put = (id: string, versions: string, severity: string, url: string) =>
  admin('PUT', '/admin/advisories', { id, versions, severity, url });

beforeAll(async () => {
  for (const version of ['1.0.0', '1.4.0', '1.4.1', '2.0.0-beta.1']) {
    expect((await exports.default.fetch(pushRequest(buildNupkg({ id: 'Vuln.Lib', version })))).status).toBe(201);
  }
});

describe('vulnerability advisories', () => {
  it('adds an advisory: the affected SemVer 2 entries list it, the updates page carries its range', async () => {
    const response = await put('VULN.lib', '[1.0.0, 1.4.1)', 'high', A);
    expect(await response.json()).toMatchObject({ id: 'Vuln.Lib', outcome: 'added', versions: '[1.0.0, 1.4.1)' });
    expect(await vulnerabilitiesByVersion()).toEqual({
      '1.0.0': [{ advisoryUrl: A, severity: '2' }],
      '1.4.0': [{ advisoryUrl: A, severity: '2' }],
      '1.4.1': null,
      '2.0.0-beta.1': null,
    });
    const legacy = await vulnerabilitiesByVersion('registration');
    expect(Object.values(legacy).every((value) => value === null)).toBe(true);
    const updated = await pagesUpdated();
    expect(updated.base).toBe('1970-01-01T00:00:00.000Z');
    expect(Date.parse(updated.updates)).toBeGreaterThan(0);
    expect(await get('/v3/vulnerabilities/updates.json')).toEqual({
      'vuln.lib': [{ url: A, severity: 2, versions: '[1.0.0, 1.4.1)' }],
    });
    expect(await get('/v3/vulnerabilities/base.json')).toEqual({});
  });

  it("search carries the latest version's advisories, severity as an integer", async () => {
    const stable = async () => (await get('/v3/query?q=Vuln.Lib')).data[0];
    expect((await stable()).version).toBe('1.4.1');
    expect((await stable()).vulnerabilities).toEqual([]);
    expect((await put('Vuln.Lib', '1.4.1', 'moderate', B).then((r) => r.json() as Promise<any>)).outcome).toBe('added');
    expect((await stable()).vulnerabilities).toEqual([{ advisoryUrl: B, severity: 1 }]);
    expect((await vulnerabilitiesByVersion())['1.4.1']).toEqual([{ advisoryUrl: B, severity: '1' }]);
  });

  it('leaves an advisory already as asked alone, and a change moves only its page', async () => {
    const before = await pagesUpdated();
    const log = (await auditEntries(env.DB, { lowerId: 'vuln.lib', limit: 100 })).length;
    expect((await put('Vuln.Lib', '[1.0.0, 1.4.1)', 'high', A).then((r) => r.json() as Promise<any>)).outcome).toBe(
      'unchanged',
    );
    expect(await pagesUpdated()).toEqual(before);
    expect(await auditEntries(env.DB, { lowerId: 'vuln.lib', limit: 100 })).toHaveLength(log);

    expect((await put('Vuln.Lib', '[1.0.0, 1.4.0]', 'critical', A).then((r) => r.json() as Promise<any>)).outcome).toBe(
      'changed',
    );
    expect((await vulnerabilitiesByVersion())['1.4.0']).toEqual([{ advisoryUrl: A, severity: '3' }]);
    expect((await get('/v3/vulnerabilities/updates.json'))['vuln.lib']).toContainEqual({
      url: A,
      severity: 3,
      versions: '[1.0.0, 1.4.0]',
    });
    const [entry] = await auditEntries(env.DB, { lowerId: 'vuln.lib', limit: 1 });
    expect(entry).toMatchObject({ actor: 'admin', action: 'advisory.changed', detail: { url: A, severity: 3 } });
  });

  it('removes an advisory from every view; removing it again is a 404', async () => {
    const response = await admin('DELETE', `/admin/advisories?id=vuln.lib&url=${encodeURIComponent(A)}`);
    expect(response.status).toBe(200);
    expect((await vulnerabilitiesByVersion())['1.0.0']).toBeNull();
    expect((await get('/v3/vulnerabilities/updates.json'))['vuln.lib']).toEqual([
      { url: B, severity: 1, versions: '[1.4.1, 1.4.1]' },
    ]);
    expect((await admin('DELETE', `/admin/advisories?id=vuln.lib&url=${encodeURIComponent(A)}`)).status).toBe(404);
    const listed = (await (await admin('GET', '/admin/advisories?id=Vuln.Lib')).json()) as any;
    expect(listed.advisories).toEqual([
      expect.objectContaining({ id: 'vuln.lib', url: B, severity: 'moderate', page: 'updates', changedBy: 'admin' }),
    ]);
  });

  it('refuses bad input with a message and changes nothing', async () => {
    const before = await (await admin('GET', '/admin/advisories')).json();
    const cases: [unknown, number, RegExp][] = [
      [{ id: 'Nope.Lib', versions: '1.0.0', severity: 'high', url: A }, 404, /not on this feed/],
      [{ id: 'Vuln.Lib', versions: '[2.0', severity: 'high', url: A }, 400, /NuGet version range/],
      [{ id: 'Vuln.Lib', versions: '1.0.0', severity: 'severe', url: A }, 400, /low, moderate, high, critical/],
      [{ id: 'Vuln.Lib', versions: '1.0.0', severity: 'high', url: 'javascript:alert(1)' }, 400, /http\(s\) URL/],
      [{ id: 'bad id!', versions: '1.0.0', severity: 'high', url: A }, 400, /valid package id/],
    ];
    for (const [body, status, message] of cases) {
      const response = await admin('PUT', '/admin/advisories', body);
      expect(response.status, JSON.stringify(body)).toBe(status);
      expect(((await response.json()) as { error: string }).error).toMatch(message);
    }
    expect((await admin('PUT', '/admin/advisories', cases[0]![0], 'not-the-key')).status).toBe(401);
    expect((await admin('GET', '/admin/advisories', undefined, 'not-the-key')).status).toBe(401);
    expect(await (await admin('GET', '/admin/advisories')).json()).toEqual(before);
  });
});

describe('what an advisory change rewrites', () => {
  it('only the SemVer 2 pages holding an affected version, besides the indexes and flat list', async () => {
    for (let minor = 0; minor < 200; minor++) {
      await insertVersion(env.DB, versionRecord('Paged.Lib', `1.${minor}.0`), null, new Date());
    }
    await rebuildDocuments(env, 'paged.lib', { force: true });
    const before = new Map((await documentsOfId(env.PAGES, 'paged.lib')).map((d) => [d.name, d.generation]));
    expect((await put('Paged.Lib', '[1.10.0, 1.12.0]', 'low', A)).status).toBe(200);
    const after = await documentsOfId(env.PAGES, 'paged.lib');
    const moved = after.filter((d) => d.generation !== before.get(d.name)).map((d) => d.name);
    const pages = moved.filter((name) => name.includes('/page/'));
    expect(pages).toHaveLength(1);
    expect(pages[0]).toMatch(/^registration\/semver2\//);
    const page = await get(`/v3/registration-gz-semver2/paged.lib/page/${pages[0]!.split('/page/')[1]}.json`);
    const hit = page.items
      .filter((item: any) => item.catalogEntry.vulnerabilities)
      .map((item: any) => item.catalogEntry.version);
    expect(hit).toEqual(['1.10.0', '1.11.0', '1.12.0']);
  });
});
