/**
 * Retention rules through the admin API (issue 16): a CI id's old prereleases are unlisted, an
 * exact rule deletes, what a rule may not remove is kept with its reason, a dry run changes
 * nothing, the limit leaves the rest for the next run, and the repair pass applies the rules too.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { rebuildDocuments } from '../src/documents/rebuild';
import { repairFeed } from '../src/documents/repair';
import { auditEntries } from '../src/store/auditLog';
import { insertVersion } from '../src/store/packages';
import { admin, getJson, registrationEntries } from './support/adminApi';
import { versionRecord } from './support/records';

const DAY = 86_400_000;
const CI = Array.from({ length: 50 }, (_, i) => `1.0.0-ci.${i + 1}`);

/** Published `days` ago, half a day off the rule's 30-day boundary. */
async function seed(id: string, version: string, days: number, extra: Parameters<typeof versionRecord>[2] = {}) {
  const at = new Date(Date.now() - days * DAY - DAY / 2).toISOString();
  await insertVersion(env.DB, versionRecord(id, version, { created: at, published: at, ...extra }), null, new Date());
}

const run = async (query: string) => {
  const response = await admin('POST', `/admin/retention/run?${query}`);
  expect(response.status, response.statusText).toBe(200);
  return (await response.json()) as any;
};
const flat = async (lowerId: string) => (await getJson(`/v3/flat/${lowerId}/index.json`)).versions as string[];
const unlisted = async (lowerId: string) =>
  (await registrationEntries('registration-gz-semver2', lowerId)).filter((e) => !e.listed).map((e) => e.version);
const retentionLog = async (lowerId: string) =>
  (await auditEntries(env.DB, { lowerId, limit: 1000 })).filter((e) => e.actor === 'retention');

// ci.N was published 51 - N days ago: ci.1 to ci.21 are older than 30 days.
const OLD_CI = CI.slice(0, 21).filter((v) => v !== '1.0.0-ci.3');
const ciActions = OLD_CI.map((version) => ({ id: 'Ci.Lib', version, action: 'unlist', rule: 'Ci.*' }));
const toolActions = ['1.0.0', '1.1.0', '3.0.0-beta.1'].map((version) => ({
  id: 'Ci.Tools',
  version,
  action: 'delete',
  rule: 'Ci.Tools',
}));
const KEPT = [
  { id: 'Ci.Lib', version: '1.0.0-ci.3', reason: 'needed by App.Lib 2.0.0' },
  { id: 'Ci.Tools', version: '2.0.0', reason: 'latest stable' },
  { id: 'Ci.Tools', version: '3.0.0-beta.2', reason: 'latest prerelease' },
];

beforeAll(async () => {
  for (const version of ['0.8.0', '0.9.0']) await seed('Ci.Lib', version, 100);
  for (const [n, version] of CI.entries()) await seed('Ci.Lib', version, 50 - n);
  for (const version of ['1.0.0', '1.1.0', '2.0.0', '3.0.0-beta.1', '3.0.0-beta.2'])
    await seed('Ci.Tools', version, 90);
  const pin = [{ targetFramework: 'net8.0', dependencies: [{ id: 'Ci.Lib', range: '[1.0.0-ci.3, 1.0.0-ci.3]' }] }];
  await seed('App.Lib', '1.0.0', 10);
  await seed('App.Lib', '2.0.0', 5, { dependencyGroups: pin });
  for (const id of ['ci.lib', 'ci.tools', 'app.lib']) await rebuildDocuments(env, id, { force: true });
});

describe('retention rules', () => {
  it('refuses bad rules with the reason, and every key but the admin key', async () => {
    const bad = await admin('PUT', '/admin/retention', { pattern: 'Ci.*', keepPrerelease: -1 });
    expect(bad.status).toBe(400);
    expect(bad.statusText).toMatch(/keepPrerelease must be a whole number from 0 to 10,000/);
    const empty = await admin('PUT', '/admin/retention', { pattern: 'Ci.*' });
    expect(empty.statusText).toMatch(/needs keepStable, keepPrerelease or prereleaseOlderThanDays/);
    expect((await admin('PUT', '/admin/retention', { pattern: 'Ci/*', keepStable: 1 })).status).toBe(400);
    expect((await admin('POST', '/admin/retention/run')).statusText).toMatch(/dryRun must be true or false/);
    expect((await admin('POST', '/admin/retention/run?dryRun=true&limit=0')).status).toBe(400);

    const created = await admin('POST', '/admin/keys', { name: 'ci-push', scopes: ['push', 'unlist'] });
    const { key } = (await created.json()) as { key: string };
    const rule = { pattern: 'Ci.*', keepStable: 1 };
    expect((await admin('PUT', '/admin/retention', rule, key)).status).toBe(401);
    expect((await admin('GET', '/admin/retention', undefined, key)).status).toBe(401);
    expect((await admin('POST', '/admin/retention/run?dryRun=false', undefined, key)).status).toBe(401);
    expect((await admin('GET', '/admin/retention', undefined, 'not-a-key')).status).toBe(401);
  });

  it('sets and lists rules; the same pattern in other casing replaces its rule', async () => {
    const first = await admin('PUT', '/admin/retention', { pattern: 'ci.*', keepStable: 1 });
    expect(await first.json()).toMatchObject({ outcome: 'added' });
    const rule = { pattern: 'Ci.*', keepPrerelease: 5, prereleaseOlderThanDays: 30 };
    expect(await (await admin('PUT', '/admin/retention', rule)).json()).toMatchObject({ outcome: 'changed' });
    const tools = { pattern: 'Ci.Tools', keepStable: 0, keepPrerelease: 0, action: 'delete' };
    expect((await admin('PUT', '/admin/retention', tools)).status).toBe(200);
    const { rules } = (await (await admin('GET', '/admin/retention')).json()) as any;
    expect(rules).toEqual([
      { ...rule, keepStable: null, action: 'unlist', changedBy: 'admin', created: expect.any(String) },
      { ...tools, prereleaseOlderThanDays: null, changedBy: 'admin', created: expect.any(String) },
    ]);
    const log = await auditEntries(env.DB, { lowerId: 'ci.*', limit: 10 });
    expect(log.map((e) => [e.actor, e.action, (e.detail as any).rule])).toEqual([
      ['admin', 'retention.set', 'Ci.*'],
      ['admin', 'retention.set', 'ci.*'],
    ]);
  });

  it('a dry run lists what a run would do and what it keeps, and changes nothing', async () => {
    const plan = await run('dryRun=true');
    expect(plan).toEqual({
      dryRun: true,
      actions: [...ciActions, ...toolActions],
      failed: [],
      kept: KEPT,
      remaining: 0,
      warnings: [],
    });
    expect(await flat('ci.lib')).toHaveLength(52);
    expect(await unlisted('ci.lib')).toEqual([]);
    expect(await flat('ci.tools')).toHaveLength(5);
    expect(await retentionLog('ci.lib')).toEqual([]);
  });

  it('takes at most `limit` actions, oldest first, and counts the rest as remaining', async () => {
    const capped = await run('dryRun=true&limit=5');
    expect(capped.actions).toEqual(ciActions.slice(0, 5));
    expect(capped.remaining).toBe(ciActions.length + toolActions.length - 5);
    expect(capped.kept).toEqual(KEPT);

    const applied = await run('dryRun=false&limit=5');
    expect(applied).toMatchObject({ dryRun: false, actions: ciActions.slice(0, 5), failed: [], remaining: 18 });
    expect(await unlisted('ci.lib')).toEqual(OLD_CI.slice(0, 5));
  });

  it('a run unlists old prereleases, logged as retention with the rule, and deletes by a delete rule', async () => {
    const applied = await run('dryRun=false');
    expect(applied.actions).toEqual([...ciActions.slice(5), ...toolActions]);
    expect(applied).toMatchObject({ failed: [], kept: KEPT, remaining: 0 });

    expect(await unlisted('ci.lib')).toEqual(OLD_CI);
    // Unlisted, not deleted: still in the flat list and restorable by exact version.
    expect(await flat('ci.lib')).toHaveLength(52);
    expect(await flat('ci.tools')).toEqual(['2.0.0', '3.0.0-beta.2']);
    const { data } = await getJson('/v3/query?q=Ci.Lib&prerelease=true&semVerLevel=2.0.0');
    expect(data.find((p: any) => p.id === 'Ci.Lib').versions).toHaveLength(52 - OLD_CI.length);

    const unlists = (await retentionLog('ci.lib')).reverse();
    expect(unlists.map((e) => [e.action, e.detail])).toEqual(
      OLD_CI.map((version) => ['unlist', { version, rule: 'Ci.*' }]),
    );
    const deletes = (await retentionLog('ci.tools')).reverse();
    expect(deletes.map((e) => [e.action, (e.detail as any).versions, (e.detail as any).rule])).toEqual(
      toolActions.map(({ version }) => ['delete', [version], 'Ci.Tools']),
    );
  });

  it('a second run finds nothing more to do', async () => {
    expect(await run('dryRun=false')).toMatchObject({ actions: [], failed: [], kept: KEPT, remaining: 0 });
  });

  it('removes a rule by its pattern in any casing; an unknown pattern is a 404', async () => {
    const removed = await admin('DELETE', '/admin/retention?pattern=CI.TOOLS');
    expect(await removed.json()).toMatchObject({ outcome: 'removed', rule: { pattern: 'Ci.Tools' } });
    expect((await admin('DELETE', '/admin/retention?pattern=CI.TOOLS')).status).toBe(404);
    expect((await admin('DELETE', '/admin/retention')).status).toBe(400);
    const { rules } = (await (await admin('GET', '/admin/retention')).json()) as any;
    expect(rules.map((r: any) => r.pattern)).toEqual(['Ci.*']);
    expect((await auditEntries(env.DB, { lowerId: 'ci.tools', limit: 1 }))[0]).toMatchObject({
      actor: 'admin',
      action: 'retention.remove',
      detail: { rule: 'Ci.Tools' },
    });
  });

  it('the scheduled repair pass applies the rules', async () => {
    for (const [n, version] of ['2.0.0-nightly.1', '2.0.0-nightly.2', '2.0.0-nightly.3'].entries()) {
      await seed('Nightly.Lib', version, 3 - n);
    }
    await rebuildDocuments(env, 'nightly.lib', { force: true });
    expect((await admin('PUT', '/admin/retention', { pattern: 'Nightly.*', keepPrerelease: 1 })).status).toBe(200);
    await repairFeed(env, new Date());
    expect(await unlisted('nightly.lib')).toEqual(['2.0.0-nightly.1', '2.0.0-nightly.2']);
    expect((await retentionLog('nightly.lib')).map((e) => e.detail)).toEqual([
      { version: '2.0.0-nightly.2', rule: 'Nightly.*' },
      { version: '2.0.0-nightly.1', rule: 'Nightly.*' },
    ]);
  });
});
