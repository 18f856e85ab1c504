/**
 * Retention rules (issue 16): which old versions of an id a scheduled pass, or `edgeget retention
 * run`, unlists or deletes. Pure: the caller reads rules, versions and pins, passes `now`, and
 * applies the plan.
 *
 * Per id, the most specific matching rule applies (see ruleFor). The rule looks at the listed
 * versions when it unlists (unlisting an unlisted version changes nothing) and at all versions
 * when it deletes (an unlisted version still takes storage, and deleting it is the point).
 * Among those, in NuGet order:
 * - keepStable N: the newest N stable versions stay; without it no stable version is touched.
 * - keepPrerelease N and prereleaseOlderThanDays D: a prerelease goes when it is outside the newest
 *   N AND was published (last listed) more than D days ago. With one of them, that one decides; with neither, no
 *   prerelease is touched. Both must agree because each is a promise to keep: "the last 5 builds"
 *   and "a month of builds", so a quiet month still leaves 5 and a busy week loses none.
 * Whatever the rule says, an id's latest stable and latest prerelease version (among its listed
 * versions, or among all when none of that kind is listed) stay, so `dotnet add package` with or
 * without --prerelease still resolves; so does a version another local package's latest version
 * depends on exactly, which restores of that package need. Those are reported as `kept`.
 */
import { fail, isFailure, type Failure } from '../problems';
import { globMatches, isIdPattern } from './keyScopes';
import { lowerId as lowerIdOf } from './packageId';
import { parseRange } from './range';
import type { DependencyGroup, PackageVersionRecord } from './types';
import {
  type NuGetVersion,
  compareVersions,
  isPrerelease,
  lowerVersion as lowerVersionOf,
  parseVersion,
} from './version';

export type RetentionAction = 'unlist' | 'delete';

export interface RetentionRule {
  /** A package id glob as API keys use them (`Contoso.*`, `*`), as written; compare it lowercased. */
  pattern: string;
  /** null: the rule sets no such limit. */
  keepStable: number | null;
  keepPrerelease: number | null;
  prereleaseOlderThanDays: number | null;
  action: RetentionAction;
}

export const MAX_KEEP = 10_000;
export const MAX_OLDER_THAN_DAYS = 3650;
export const DEFAULT_MAX_ACTIONS = 500;
const DAY_MS = 86_400_000;

function parseLimit(body: Record<string, unknown>, field: string, min: number, max: number): number | null | Failure {
  const value = body[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    return fail('badRequest', `${field} must be a whole number from ${min} to ${max.toLocaleString('en-US')}.`);
  }
  return value;
}

/** The body of the admin request that sets a rule: `{ pattern, keepStable?, keepPrerelease?, prereleaseOlderThanDays?, action? }`. */
export function parseRetentionRule(body: unknown): RetentionRule | Failure {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return fail('badRequest', 'Expected a JSON object describing the retention rule.');
  }
  const fields = body as Record<string, unknown>;
  const { pattern, action = 'unlist' } = fields;
  if (typeof pattern !== 'string' || !isIdPattern(pattern)) {
    return fail('badRequest', "pattern must be a package id or a pattern of id characters and '*', e.g. Contoso.*");
  }
  if (action !== 'unlist' && action !== 'delete') return fail('badRequest', "action must be 'unlist' or 'delete'.");
  const keepStable = parseLimit(fields, 'keepStable', 0, MAX_KEEP);
  if (isFailure(keepStable)) return keepStable;
  const keepPrerelease = parseLimit(fields, 'keepPrerelease', 0, MAX_KEEP);
  if (isFailure(keepPrerelease)) return keepPrerelease;
  const prereleaseOlderThanDays = parseLimit(fields, 'prereleaseOlderThanDays', 1, MAX_OLDER_THAN_DAYS);
  if (isFailure(prereleaseOlderThanDays)) return prereleaseOlderThanDays;
  if (keepStable === null && keepPrerelease === null && prereleaseOlderThanDays === null) {
    return fail('badRequest', 'A retention rule needs keepStable, keepPrerelease or prereleaseOlderThanDays.');
  }
  return { pattern, keepStable, keepPrerelease, prereleaseOlderThanDays, action };
}

/** How specific a pattern is: an exact id first, then the longer literal prefix, then more literal characters. */
function specificity(pattern: string): [number, number, number] {
  const star = pattern.indexOf('*');
  if (star < 0) return [1, pattern.length, pattern.length];
  return [0, star, pattern.replaceAll('*', '').length];
}

/**
 * The rule for an id: the most specific matching pattern, so `Contoso.Core` beats `Contoso.*`,
 * which beats `Con*` and `*`. Patterns as specific as each other fall to the lowest lowercased
 * pattern, only so that the answer never depends on the order rules were stored in.
 */
export function ruleFor(lowerId: string, rules: readonly RetentionRule[]): RetentionRule | null {
  let best: RetentionRule | null = null;
  for (const rule of rules) {
    if (!globMatches(rule.pattern, lowerId)) continue;
    if (best === null || compareSpecificity(rule, best) > 0) best = rule;
  }
  return best;
}

function compareSpecificity(a: RetentionRule, b: RetentionRule): number {
  const x = specificity(a.pattern);
  const y = specificity(b.pattern);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return Math.sign((x[i] ?? 0) - (y[i] ?? 0));
  const p = lowerIdOf(a.pattern);
  const q = lowerIdOf(b.pattern);
  return p < q ? 1 : p > q ? -1 : 0;
}

export type RetentionVersion = Pick<
  PackageVersionRecord,
  'version' | 'lowerVersion' | 'listed' | 'published' | 'created'
>;

export interface RetentionPackage {
  id: string;
  lowerId: string;
  versions: RetentionVersion[];
}

/** A version another local package's latest version depends on exactly; `by` is "Other.Id 2.0.0". */
export interface RetentionPin {
  lowerId: string;
  lowerVersion: string;
  by: string;
}

export interface RetentionInput {
  rules: readonly RetentionRule[];
  packages: readonly RetentionPackage[];
  pinned: readonly RetentionPin[];
  /** Default 500: one run's share of work; the rest waits for the next run. */
  maxActions?: number;
}

export interface PlannedAction {
  lowerId: string;
  id: string;
  version: string;
  lowerVersion: string;
  action: RetentionAction;
  /** The pattern of the rule that chose it. */
  rule: string;
}

export type KeptReason = 'latest stable' | 'latest prerelease' | `needed by ${string}`;

/** A version the rule would have removed, and why it stays. */
export interface KeptVersion {
  lowerId: string;
  id: string;
  version: string;
  reason: KeptReason;
}

export interface RetentionPlan {
  /** By id, then oldest version first, so a capped run removes what the next run would too. */
  actions: PlannedAction[];
  kept: KeptVersion[];
  /** Actions past maxActions, left for the next run. */
  remaining: number;
}

interface Candidate {
  entry: RetentionVersion;
  parsed: NuGetVersion;
  prerelease: boolean;
}

/** The later of the two, so a relist restarts the clock and a placeholder date (1900) never ages a version. */
function ageDays(entry: RetentionVersion, now: Date): number {
  const at = Math.max(Date.parse(entry.published) || 0, Date.parse(entry.created) || 0);
  return at === 0 ? 0 : (now.getTime() - at) / DAY_MS;
}

function removableByRule(rule: RetentionRule, c: Candidate, newerOfKind: number, now: Date): boolean {
  if (!c.prerelease) return rule.keepStable !== null && newerOfKind >= rule.keepStable;
  const { keepPrerelease: keep, prereleaseOlderThanDays: days } = rule;
  if (keep === null && days === null) return false;
  return (keep === null || newerOfKind >= keep) && (days === null || ageDays(c.entry, now) > days);
}

/** Newest first. The newest of a kind among listed versions, or among all when none of that kind is listed. */
function latestOf(newestFirst: Candidate[], prerelease: boolean): Candidate | undefined {
  const ofKind = newestFirst.filter((c) => c.prerelease === prerelease);
  return ofKind.find((c) => c.entry.listed) ?? ofKind[0];
}

function planPackage(pkg: RetentionPackage, rule: RetentionRule, pins: Map<string, string[]>, now: Date) {
  const all: Candidate[] = [];
  for (const entry of pkg.versions) {
    // A stored version always parses; one that does not is left alone rather than guessed at.
    const parsed = parseVersion(entry.version);
    if (parsed !== null) all.push({ entry, parsed, prerelease: isPrerelease(parsed) });
  }
  all.sort((a, b) => compareVersions(b.parsed, a.parsed));
  const latest = new Map<Candidate | undefined, KeptReason>([
    [latestOf(all, false), 'latest stable'],
    [latestOf(all, true), 'latest prerelease'],
  ]);
  const candidates = rule.action === 'unlist' ? all.filter((c) => c.entry.listed) : all;
  const newer = { stable: 0, prerelease: 0 };
  const actions: PlannedAction[] = [];
  const kept: KeptVersion[] = [];
  for (const c of candidates) {
    const kind = c.prerelease ? 'prerelease' : 'stable';
    const removable = removableByRule(rule, c, newer[kind], now);
    newer[kind]++;
    if (!removable) continue;
    const { version, lowerVersion } = c.entry;
    const by = pins.get(`${pkg.lowerId}/${lowerVersion}`);
    const reason = latest.get(c) ?? (by ? (`needed by ${by.join(', ')}` as const) : null);
    const { lowerId, id } = pkg;
    if (reason !== null) kept.push({ lowerId, id, version, reason });
    else actions.push({ lowerId, id, version, lowerVersion, action: rule.action, rule: rule.pattern });
  }
  return { actions: actions.reverse(), kept: kept.reverse() };
}

export function planRetention(input: RetentionInput, now: Date): RetentionPlan {
  const pins = new Map<string, string[]>();
  for (const pin of input.pinned) {
    const key = `${pin.lowerId}/${pin.lowerVersion}`;
    pins.set(key, [...(pins.get(key) ?? []), pin.by].sort());
  }
  const packages = [...input.packages].sort((a, b) => (a.lowerId < b.lowerId ? -1 : a.lowerId > b.lowerId ? 1 : 0));
  const actions: PlannedAction[] = [];
  const kept: KeptVersion[] = [];
  for (const pkg of packages) {
    const rule = ruleFor(pkg.lowerId, input.rules);
    if (rule === null) continue;
    const planned = planPackage(pkg, rule, pins, now);
    actions.push(...planned.actions);
    kept.push(...planned.kept);
  }
  const max = Math.max(0, Math.floor(input.maxActions ?? DEFAULT_MAX_ACTIONS));
  return { actions: actions.slice(0, max), kept, remaining: Math.max(0, actions.length - max) };
}

/** A package's latest version and its dependencies, as exactPins reads them. */
export interface LatestVersionDependencies {
  id: string;
  version: string;
  dependencyGroups: readonly DependencyGroup[];
}

/** The pins the latest versions make: each dependency whose range is one exact version (`[x]`, `[x, x]`). */
export function exactPins(latestVersions: readonly LatestVersionDependencies[]): RetentionPin[] {
  const pins = new Map<string, RetentionPin>();
  for (const { id, version, dependencyGroups } of latestVersions) {
    for (const dependency of dependencyGroups.flatMap((group) => group.dependencies)) {
      const range = dependency.range === '' ? null : parseRange(dependency.range, { allowFloating: false });
      const min = range?.minVersion;
      const max = range?.maxVersion;
      // parseRange refuses equal bounds unless both are inclusive, so equal bounds mean exactly one version.
      if (!min || !max || compareVersions(min, max) !== 0) continue;
      const pin = { lowerId: lowerIdOf(dependency.id), lowerVersion: lowerVersionOf(min), by: `${id} ${version}` };
      // Every target framework group may pin the same version: one pin says it.
      pins.set(`${pin.lowerId}/${pin.lowerVersion}/${pin.by}`, pin);
    }
  }
  return [...pins.values()];
}
