/**
 * Deprecation through the admin API (issue 15): what registration, search and the D1 log show
 * afterwards, and that bad input changes nothing.
 */
import { env, exports } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditEntries } from '../src/store/auditLog';
import { findVersion } from '../src/store/packages';
import { admin, getJson as get, registrationEntries as entries } from './support/adminApi';
import { buildNupkg, pushRequest } from './support/nupkg';

beforeAll(async () => {
  for (const version of ['1.0.0', '1.5.0', '2.0.0', '2.1.0-beta.1']) {
    expect((await exports.default.fetch(pushRequest(buildNupkg({ id: 'Old.Lib', version })))).status).toBe(201);
  }
});

describe('deprecate and undeprecate', () => {
  it('deprecates a range: every selected version, in the SemVer 2 hive only, and search shows the latest', async () => {
    const response = await admin('POST', '/admin/deprecations', {
      id: 'old.lib',
      versions: '[1.0.0, 2.0.0)',
      reasons: ['legacy', 'critical-bugs'],
      message: 'Use New.Lib.',
      alternatePackage: { id: 'New.Lib', range: '[3.0.0, )' },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ id: 'Old.Lib', changed: ['1.0.0', '1.5.0'], unchanged: [], warnings: [] });

    const deprecation = {
      reasons: ['Legacy', 'CriticalBugs'],
      message: 'Use New.Lib.',
      alternatePackage: { id: 'New.Lib', range: '[3.0.0, )' },
    };
    const semver2 = await entries('registration-gz-semver2', 'old.lib');
    expect(semver2.map((entry: any) => [entry.version, entry.deprecation ?? null])).toEqual([
      ['1.0.0', deprecation],
      ['1.5.0', deprecation],
      ['2.0.0', null],
      ['2.1.0-beta.1', null],
    ]);
    for (const hive of ['registration', 'registration-gz']) {
      expect((await entries(hive, 'old.lib')).some((entry: any) => 'deprecation' in entry)).toBe(false);
    }
    const row = await findVersion(env.DB, 'old.lib', '1.0.0');
    expect(row?.deprecation).toEqual(deprecation);
    expect(row?.lastEdited).not.toBe('');

    // Search carries the latest version's: 2.0.0 is not deprecated; deprecate it too and it is.
    expect((await get('/v3/query?q=Old.Lib')).data[0].deprecation).toBeUndefined();
    await admin('POST', '/admin/deprecations', { id: 'Old.Lib', versions: '2.0.0', reasons: 'other' });
    expect((await get('/v3/query?q=Old.Lib')).data[0].deprecation).toEqual({ reasons: ['Other'] });
  });

  it('changes nothing when already as asked, and records each change with time and key', async () => {
    const before = await auditEntries(env.DB, { lowerId: 'old.lib', limit: 10 });
    const again = await admin('POST', '/admin/deprecations', { id: 'Old.Lib', versions: '2.0.0', reasons: ['Other'] });
    expect(await again.json()).toMatchObject({ changed: [], unchanged: ['2.0.0'] });
    const after = await auditEntries(env.DB, { lowerId: 'old.lib', limit: 10 });
    expect(after).toHaveLength(before.length);
    expect(after[0]).toMatchObject({ actor: 'admin', action: 'deprecate', detail: { versions: ['2.0.0'] } });
    expect(Number.isNaN(Date.parse(after[0]!.at))).toBe(false);
  });

  it('undeprecates, taking the entry off the registration leaf', async () => {
    const response = await admin('DELETE', `/admin/deprecations?id=Old.Lib&versions=${encodeURIComponent('*')}`);
    expect(await response.json()).toMatchObject({
      changed: ['1.0.0', '1.5.0', '2.0.0'],
      unchanged: ['2.1.0-beta.1'],
    });
    expect((await entries('registration-gz-semver2', 'old.lib')).some((entry: any) => 'deprecation' in entry)).toBe(
      false,
    );
    const log = await auditEntries(env.DB, { lowerId: 'old.lib', limit: 1 });
    expect(log[0]?.action).toBe('undeprecate');
  });

  it('refuses bad input with a message and changes nothing', async () => {
    const log = (await auditEntries(env.DB, { limit: 100 })).length;
    const cases: [unknown, number, RegExp][] = [
      [{ id: 'Nope.Lib', versions: '1.0.0', reasons: ['legacy'] }, 404, /not on this feed/],
      [{ id: 'Old.Lib', versions: '9.0.0', reasons: ['legacy'] }, 404, /No version of Old.Lib/],
      [{ id: 'Old.Lib', versions: '[1.0', reasons: ['legacy'] }, 400, /not a NuGet version or range/],
      [{ id: 'Old.Lib', versions: '1.0.0', reasons: ['obsolete'] }, 400, /Unknown deprecation reason 'obsolete'/],
      [{ id: 'Old.Lib', versions: '1.0.0', reasons: [] }, 400, /reasons must list/],
      [
        { id: 'Old.Lib', versions: '1.0.0', reasons: ['legacy'], alternatePackage: { id: 'A', range: 'x' } },
        400,
        /not a NuGet version range/,
      ],
      [{ id: 'Old.Lib', versions: '1.0.0', reasons: ['legacy'], message: 'm'.repeat(4001) }, 400, /at most 4000/],
      ['not an object', 400, /JSON object/],
    ];
    for (const [body, status, message] of cases) {
      const response = await admin('POST', '/admin/deprecations', body);
      expect(response.status, JSON.stringify(body).slice(0, 80)).toBe(status);
      expect(((await response.json()) as { error: string }).error).toMatch(message);
    }
    expect(
      (await admin('POST', '/admin/deprecations', { id: 'Old.Lib', versions: '1.0.0', reasons: ['legacy'] }, 'wrong'))
        .status,
    ).toBe(401);
    expect((await auditEntries(env.DB, { limit: 100 })).length).toBe(log);
    expect((await findVersion(env.DB, 'old.lib', '1.0.0'))?.deprecation).toBeNull();
  });
});
