/** Retention rules as the admin API takes them, and which rule applies to an id. */
import { describe, expect, it } from 'vitest';
import { isFailure } from '../../src/problems';
import { type RetentionRule, parseRetentionRule, ruleFor } from '../../src/nuget/retention';

function rule(body: Record<string, unknown>): RetentionRule {
  const parsed = parseRetentionRule(body);
  if (isFailure(parsed)) throw new Error(parsed.message);
  return parsed;
}

describe('parseRetentionRule', () => {
  it('reads every field and defaults the action to unlist', () => {
    expect(parseRetentionRule({ pattern: 'Contoso.*', keepStable: 3 })).toEqual({
      pattern: 'Contoso.*',
      keepStable: 3,
      keepPrerelease: null,
      prereleaseOlderThanDays: null,
      action: 'unlist',
    });
    expect(
      parseRetentionRule({ pattern: '*', keepPrerelease: 0, prereleaseOlderThanDays: 3650, action: 'delete' }),
    ).toEqual({ pattern: '*', keepStable: null, keepPrerelease: 0, prereleaseOlderThanDays: 3650, action: 'delete' });
  });

  it('reads null as no limit', () => {
    expect(parseRetentionRule({ pattern: 'A', keepStable: null, keepPrerelease: 10_000 })).toMatchObject({
      keepStable: null,
      keepPrerelease: 10_000,
    });
  });

  it.each([
    [null, 'Expected a JSON object'],
    [[], 'Expected a JSON object'],
    ['Contoso.*', 'Expected a JSON object'],
    [{ keepStable: 1 }, 'pattern must be'],
    [{ pattern: '', keepStable: 1 }, 'pattern must be'],
    [{ pattern: 'Contoso Core', keepStable: 1 }, 'pattern must be'],
    [{ pattern: 'Contoso/*', keepStable: 1 }, 'pattern must be'],
    [{ pattern: 'a'.repeat(129), keepStable: 1 }, 'pattern must be'],
    [{ pattern: 'A', keepStable: 1, action: 'purge' }, "action must be 'unlist' or 'delete'"],
    [{ pattern: 'A', keepStable: 1, action: 'Delete' }, "action must be 'unlist' or 'delete'"],
    [{ pattern: 'A', keepStable: -1 }, 'keepStable must be a whole number from 0 to 10,000'],
    [{ pattern: 'A', keepStable: 10_001 }, 'keepStable must be a whole number from 0 to 10,000'],
    [{ pattern: 'A', keepStable: 1.5 }, 'keepStable must be a whole number'],
    [{ pattern: 'A', keepStable: '5' }, 'keepStable must be a whole number'],
    [{ pattern: 'A', keepPrerelease: Number.NaN }, 'keepPrerelease must be a whole number from 0 to 10,000'],
    [{ pattern: 'A', prereleaseOlderThanDays: 0 }, 'prereleaseOlderThanDays must be a whole number from 1 to 3,650'],
    [{ pattern: 'A', prereleaseOlderThanDays: 3651 }, 'prereleaseOlderThanDays must be a whole number from 1'],
    [{ pattern: 'A', prereleaseOlderThanDays: '30d' }, 'prereleaseOlderThanDays must be a whole number'],
    [{ pattern: 'A' }, 'needs keepStable, keepPrerelease or prereleaseOlderThanDays'],
    [{ pattern: 'A', action: 'delete', keepStable: null }, 'needs keepStable, keepPrerelease'],
  ])('refuses %j', (body, message) => {
    const result = parseRetentionRule(body);
    expect(isFailure(result) && result.failure).toBe('badRequest');
    expect(isFailure(result) && result.message).toContain(message);
  });
});

describe('ruleFor', () => {
  const all = rule({ pattern: '*', keepStable: 1 });
  const con = rule({ pattern: 'Con*', keepStable: 2 });
  const contoso = rule({ pattern: 'Contoso.*', keepStable: 3 });
  const core = rule({ pattern: 'Contoso.Core', keepStable: 4 });
  const tests = rule({ pattern: 'Contoso.*.Tests', keepStable: 5 });
  const rules = [all, con, contoso, core, tests];

  it('prefers an exact id to any glob', () => {
    expect(ruleFor('contoso.core', rules)).toBe(core);
    expect(ruleFor('contoso.core', [...rules].reverse())).toBe(core);
  });

  it('prefers an exact id to a glob that matches only it', () => {
    const glob = rule({ pattern: 'Contoso.Core*', keepStable: 1 });
    expect(ruleFor('contoso.core', [glob, core])).toBe(core);
    expect(ruleFor('contoso.core', [core, glob])).toBe(core);
  });

  it('prefers a longer literal prefix, then more literal characters', () => {
    expect(ruleFor('contoso.data', rules)).toBe(contoso);
    expect(ruleFor('contoso.data.tests', rules)).toBe(tests);
    expect(ruleFor('contoso.data.tests', [...rules].reverse())).toBe(tests);
    expect(ruleFor('console', rules)).toBe(con);
    expect(ruleFor('fabrikam', rules)).toBe(all);
  });

  it('matches patterns case-insensitively and answers null when none matches', () => {
    expect(ruleFor('contoso.core', [rule({ pattern: 'CONTOSO.CORE', keepStable: 1 })])?.pattern).toBe('CONTOSO.CORE');
    expect(ruleFor('fabrikam', [con, contoso, core])).toBeNull();
  });

  it('breaks a tie by pattern, not by the order rules come in', () => {
    // Both have the prefix 'Contoso.' and 13 literal characters; '.' sorts before 'x'.
    const a = rule({ pattern: 'Contoso.*.Core', keepStable: 1 });
    const b = rule({ pattern: 'Contoso.*x.cor*', keepStable: 2 });
    expect(ruleFor('contoso.x.core', [a, b])).toBe(a);
    expect(ruleFor('contoso.x.core', [b, a])).toBe(a);
  });
});
