import { describe, expect, it } from 'vitest';
import { isFailure } from '../../src/problems';
import {
  type RetentionInput,
  type RetentionPackage,
  type RetentionRule,
  type RetentionVersion,
  exactPins,
  parseRetentionRule,
  planRetention,
} from '../../src/nuget/retention';
import { lowerVersion, parseVersion } from '../../src/nuget/version';

const NOW = new Date('2025-03-01T00:00:00Z');
const DAY = 86_400_000;

function daysAgo(days: number): string {
  return new Date(NOW.getTime() - days * DAY).toISOString();
}

function version(text: string, options: { listed?: boolean; age?: number; publishedAge?: number } = {}) {
  const parsed = parseVersion(text);
  if (parsed === null) throw new Error(`'${text}' is not a version`);
  const { listed = true, age = 400, publishedAge = age } = options;
  const entry: RetentionVersion = {
    version: text,
    lowerVersion: lowerVersion(parsed),
    listed,
    created: daysAgo(age),
    published: daysAgo(publishedAge),
  };
  return entry;
}

function pkg(id: string, versions: (string | RetentionVersion)[]): RetentionPackage {
  const entries = versions.map((v) => (typeof v === 'string' ? version(v) : v));
  return { id, lowerId: id.toLowerCase(), versions: entries };
}

function rule(body: Record<string, unknown>): RetentionRule {
  const parsed = parseRetentionRule(body);
  if (isFailure(parsed)) throw new Error(parsed.message);
  return parsed;
}

function plan(rules: RetentionRule[], packages: RetentionPackage[], extra: Partial<RetentionInput> = {}) {
  return planRetention({ rules, packages, pinned: [], ...extra }, NOW);
}

function removed(rules: RetentionRule[], packages: RetentionPackage[], extra: Partial<RetentionInput> = {}) {
  return plan(rules, packages, extra).actions.map((a) => a.version);
}

describe('planRetention', () => {
  it('keeps the newest keepStable stable versions and leaves prereleases alone', () => {
    const p = pkg('A', ['1.0.0', '1.10.0', '1.9.0', '2.0.0', '1.2.0', '3.0.0-alpha', '3.0.0-beta']);
    const result = plan([rule({ pattern: 'A', keepStable: 2 })], [p]);
    expect(result.actions.map((a) => a.version)).toEqual(['1.0.0', '1.2.0', '1.9.0']);
    expect(result.kept).toEqual([]);
  });

  it('keeps the newest keepPrerelease prereleases in NuGet order and leaves stables alone', () => {
    const p = pkg('A', ['0.1.0', '0.2.0', '1.0.0-ci.10', '1.0.0-ci.9', '1.0.0-ci.2', '1.0.0-ci.11', '1.0.0-beta']);
    expect(removed([rule({ pattern: 'A', keepPrerelease: 2 })], [p])).toEqual([
      '1.0.0-beta',
      '1.0.0-ci.2',
      '1.0.0-ci.9',
    ]);
  });

  it('removes prereleases more than prereleaseOlderThanDays old', () => {
    const p = pkg('A', [
      version('1.0.0-a', { age: 31 }),
      version('1.0.0-b', { age: 30 }),
      version('1.0.0-c', { age: 2 }),
      version('0.5.0', { age: 100 }),
    ]);
    expect(removed([rule({ pattern: 'A', prereleaseOlderThanDays: 30 })], [p])).toEqual(['1.0.0-a']);
  });

  it('counts a prerelease from its last listing, so a relist restarts the clock', () => {
    const p = pkg('A', [version('1.0.0-a', { age: 90, publishedAge: 3 }), version('1.0.0-b', { age: 1 })]);
    expect(removed([rule({ pattern: 'A', prereleaseOlderThanDays: 30 })], [p])).toEqual([]);
  });

  it('removes a prerelease only when both the count and the age allow it', () => {
    // One build every 10 days: the 5 newest are 0-40 days old.
    const p = pkg(
      'A',
      Array.from({ length: 10 }, (_, i) => version(`1.0.0-ci.${10 - i}`, { age: i * 10 })),
    );
    const both = rule({ pattern: 'A', keepPrerelease: 5, prereleaseOlderThanDays: 30 });
    expect(removed([both], [p])).toEqual(['1.0.0-ci.1', '1.0.0-ci.2', '1.0.0-ci.3', '1.0.0-ci.4', '1.0.0-ci.5']);
    const ageOnly = rule({ pattern: 'A', prereleaseOlderThanDays: 30 });
    expect(removed([ageOnly], [p])).toHaveLength(6);
    // A busy week: everything is in the window, so nothing goes whatever the count.
    const busy = pkg(
      'A',
      ['1.0.0-ci.1', '1.0.0-ci.2', '1.0.0-ci.3'].map((v) => version(v, { age: 1 })),
    );
    expect(removed([rule({ pattern: 'A', keepPrerelease: 0, prereleaseOlderThanDays: 30 })], [busy])).toEqual([]);
  });

  it('never removes the latest stable or latest prerelease, and says so', () => {
    const p = pkg('A', ['1.0.0', '2.0.0', '3.0.0-rc.1', '3.0.0-rc.2']);
    const result = plan([rule({ pattern: 'A', keepStable: 0, keepPrerelease: 0 })], [p]);
    expect(result.actions.map((a) => a.version)).toEqual(['1.0.0', '3.0.0-rc.1']);
    expect(result.kept).toEqual([
      { lowerId: 'a', id: 'A', version: '2.0.0', reason: 'latest stable' },
      { lowerId: 'a', id: 'A', version: '3.0.0-rc.2', reason: 'latest prerelease' },
    ]);
  });

  it('takes the latest from listed versions, and from all when none of that kind is listed', () => {
    const p = pkg('A', [
      version('1.0.0'),
      version('2.0.0', { listed: false }),
      version('3.0.0', { listed: false }),
      version('4.0.0-beta', { listed: false }),
      version('4.0.0-rc', { listed: false }),
    ]);
    const result = plan([rule({ pattern: 'A', keepStable: 0, keepPrerelease: 0, action: 'delete' })], [p]);
    expect(result.actions.map((a) => a.version)).toEqual(['2.0.0', '3.0.0', '4.0.0-beta']);
    expect(result.kept.map((k) => [k.version, k.reason])).toEqual([
      ['1.0.0', 'latest stable'],
      ['4.0.0-rc', 'latest prerelease'],
    ]);
  });

  it('never removes a pinned version, naming every package that needs it', () => {
    const p = pkg('Lib', ['1.0.0', '1.1.0', '1.2.0', '2.0.0']);
    const pinned = [
      { lowerId: 'lib', lowerVersion: '1.1.0', by: 'Zeta 3.0.0' },
      { lowerId: 'lib', lowerVersion: '1.1.0', by: 'App 2.0.0' },
      { lowerId: 'other', lowerVersion: '1.0.0', by: 'App 2.0.0' },
    ];
    const result = plan([rule({ pattern: 'Lib', keepStable: 1 })], [p], { pinned });
    expect(result.actions.map((a) => a.version)).toEqual(['1.0.0', '1.2.0']);
    expect(result.kept).toEqual([
      { lowerId: 'lib', id: 'Lib', version: '1.1.0', reason: 'needed by App 2.0.0, Zeta 3.0.0' },
    ]);
  });

  it('does not unlist an unlisted version, nor count it among those kept', () => {
    const p = pkg('A', ['1.0.0', '2.0.0', version('3.0.0', { listed: false }), '4.0.0']);
    const result = plan([rule({ pattern: 'A', keepStable: 2 })], [p]);
    expect(result.actions.map((a) => [a.version, a.action])).toEqual([['1.0.0', 'unlist']]);
    expect(result.remaining).toBe(0);
  });

  it('deletes unlisted versions too when the action is delete', () => {
    const p = pkg('A', [version('1.0.0', { listed: false }), '2.0.0', version('3.0.0', { listed: false }), '4.0.0']);
    const result = plan([rule({ pattern: 'A', keepStable: 2, action: 'delete' })], [p]);
    expect(result.actions.map((a) => [a.version, a.action])).toEqual([
      ['1.0.0', 'delete'],
      ['2.0.0', 'delete'],
    ]);
  });

  it('applies the most specific rule and leaves ids without a rule alone', () => {
    const rules = [rule({ pattern: 'Contoso.*', keepStable: 1 }), rule({ pattern: 'Contoso.Core', keepStable: 2 })];
    const packages = [
      pkg('Contoso.Core', ['1.0.0', '2.0.0', '3.0.0']),
      pkg('Contoso.Data', ['1.0.0', '2.0.0', '3.0.0']),
    ];
    const result = plan(rules, [...packages, pkg('Fabrikam', ['1.0.0', '2.0.0'])]);
    expect(result.actions.map((a) => [a.id, a.version, a.rule])).toEqual([
      ['Contoso.Core', '1.0.0', 'Contoso.Core'],
      ['Contoso.Data', '1.0.0', 'Contoso.*'],
      ['Contoso.Data', '2.0.0', 'Contoso.*'],
    ]);
  });

  it('orders actions by id, then oldest version first, whatever order the input has', () => {
    const rules = [rule({ pattern: '*', keepStable: 1 })];
    const b = pkg('b', ['2.0.0', '1.0.0', '3.0.0']);
    const a = pkg('A', ['1.10.0', '1.2.0', '1.9.0']);
    const expected = [
      { lowerId: 'a', id: 'A', version: '1.2.0', lowerVersion: '1.2.0', action: 'unlist', rule: '*' },
      { lowerId: 'a', id: 'A', version: '1.9.0', lowerVersion: '1.9.0', action: 'unlist', rule: '*' },
      { lowerId: 'b', id: 'b', version: '1.0.0', lowerVersion: '1.0.0', action: 'unlist', rule: '*' },
      { lowerId: 'b', id: 'b', version: '2.0.0', lowerVersion: '2.0.0', action: 'unlist', rule: '*' },
    ];
    expect(plan(rules, [b, a]).actions).toEqual(expected);
    expect(plan(rules, [a, b]).actions).toEqual(expected);
  });

  it('caps the actions at maxActions, and the next run resumes where this one stopped', () => {
    const rules = [rule({ pattern: '*', keepStable: 1 })];
    let packages = [pkg('A', ['1.0.0', '2.0.0', '3.0.0']), pkg('B', ['1.0.0', '2.0.0', '3.0.0'])];
    const first = plan(rules, packages, { maxActions: 3 });
    expect(first.actions.map((a) => `${a.id} ${a.version}`)).toEqual(['A 1.0.0', 'A 2.0.0', 'B 1.0.0']);
    expect(first.remaining).toBe(1);
    const done = new Set(first.actions.map((a) => `${a.lowerId}/${a.lowerVersion}`));
    packages = packages.map((p) => ({
      ...p,
      versions: p.versions.map((v) => ({ ...v, listed: v.listed && !done.has(`${p.lowerId}/${v.lowerVersion}`) })),
    }));
    const second = plan(rules, packages, { maxActions: 3 });
    expect(second.actions.map((a) => `${a.id} ${a.version}`)).toEqual(['B 2.0.0']);
    expect(second.remaining).toBe(0);
  });

  it('caps at 500 actions by default', () => {
    const p = pkg(
      'A',
      Array.from({ length: 601 }, (_, i) => `1.0.${i}`),
    );
    const result = plan([rule({ pattern: 'A', keepStable: 1 })], [p]);
    expect(result.actions).toHaveLength(500);
    expect(result.actions[0]?.version).toBe('1.0.0');
    expect(result.remaining).toBe(100);
    expect(plan([rule({ pattern: 'A', keepStable: 1 })], [p], { maxActions: 0 })).toMatchObject({
      actions: [],
      remaining: 600,
    });
  });

  it('trims a CI feed: 50 daily prereleases, 3 stables, --keep-prerelease 5 --prerelease-older-than 30d', () => {
    const ci = Array.from({ length: 50 }, (_, i) => version(`1.0.0-ci.${i + 1}`, { age: 49 - i + 1 / 24 }));
    const p = pkg('Contoso.Build', [version('0.9.0'), version('1.0.0'), version('1.1.0'), ...ci]);
    const rules = [rule({ pattern: 'Contoso.*', keepPrerelease: 5, prereleaseOlderThanDays: 30 })];
    const result = plan(rules, [p]);
    // ci.k is 50-k days and an hour old: ci.1 … ci.20 are past 30 days, ci.21 … ci.50 are not.
    expect(result.actions.map((a) => a.version)).toEqual(Array.from({ length: 20 }, (_, i) => `1.0.0-ci.${i + 1}`));
    expect(result.actions.every((a) => a.action === 'unlist' && a.rule === 'Contoso.*')).toBe(true);
    expect(result.kept).toEqual([]);
    expect(result.remaining).toBe(0);
    const countOnly = plan([rule({ pattern: 'Contoso.*', keepPrerelease: 5 })], [p]);
    expect(countOnly.actions.map((a) => a.version).at(-1)).toBe('1.0.0-ci.45');
    expect(countOnly.actions).toHaveLength(45);
  });
});

describe('exactPins', () => {
  it('pins exact ranges only, once per dependent, with lowercased ids and versions', () => {
    const pins = exactPins([
      {
        id: 'App',
        version: '2.0.0',
        dependencyGroups: [
          {
            targetFramework: 'net8.0',
            dependencies: [
              { id: 'Lib', range: '[1.1.0-Beta, 1.1.0-Beta]' },
              { id: 'Open', range: '[1.0.0, )' },
              { id: 'Between', range: '[1.0.0, 2.0.0]' },
              { id: 'Exclusive', range: '(1.0.0, 2.0.0)' },
              { id: 'None', range: '' },
            ],
          },
          { targetFramework: 'net6.0', dependencies: [{ id: 'Lib', range: '[1.1.0-beta]' }] },
          { dependencies: [{ id: 'Tool', range: '[3.0]' }] },
        ],
      },
      { id: 'Other', version: '1.0.0', dependencyGroups: [{ dependencies: [{ id: 'LIB', range: '[1.1.0-beta]' }] }] },
    ]);
    expect(pins).toEqual([
      { lowerId: 'lib', lowerVersion: '1.1.0-beta', by: 'App 2.0.0' },
      { lowerId: 'tool', lowerVersion: '3.0.0', by: 'App 2.0.0' },
      { lowerId: 'lib', lowerVersion: '1.1.0-beta', by: 'Other 1.0.0' },
    ]);
  });
});
