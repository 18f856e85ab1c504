/**
 * OSV advisories (https://ossf.github.io/osv-schema/), the format the GitHub Advisory Database
 * publishes, read into VulnerabilityInfo advisories (§8.1). One OSV document is one advisory; each
 * of its NuGet `affected` entries yields one NuGet advisory per affected version range.
 */
import { isAdvisoryUrl } from './advisory';
import { isValidDependencyId } from './packageId';
import { normalizedRange, parseRange } from './range';
import { normalizedVersion, parseVersion } from './version';
import type { Severity } from './vulnerabilities';

export interface OsvAdvisory {
  packageId: string;
  url: string;
  severity: Severity;
  /** Normalized NuGet range (§9.4), e.g. "[1.0.0, 1.4.1)", so equal ranges are equal text. */
  versions: string;
}

/** Something in the document that yields no advisory, and why. */
export interface OsvSkip {
  /** The entry's package name; null when the reason concerns no package. */
  packageId: string | null;
  reason: string;
}

export interface OsvRecord {
  osvId: string;
  /** A withdrawn advisory still lists its advisories, so a feed knows which to remove. */
  withdrawn: boolean;
  advisories: OsvAdvisory[];
  skipped: OsvSkip[];
}

/** A larger document is a mistake or an attack; no real advisory comes near it. */
export const MAX_OSV_ADVISORIES = 1000;

type Json = Record<string, unknown>;
type Problem = { problem: string };
type Skip = { reason: string };

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isProblem = (value: unknown): value is Problem => isObject(value) && 'problem' in value;
const isSkip = (value: unknown): value is Skip => isObject(value) && 'reason' in value;

const EVENT_KINDS = ['introduced', 'fixed', 'last_affected', 'limit'] as const;
type OsvEvent = { kind: (typeof EVENT_KINDS)[number]; version: string };
type OsvRange = { type: string; events: OsvEvent[] };

/** OSV allows exactly one key per event. */
function readEvents(value: unknown, at: string): OsvEvent[] | Problem {
  const problem = { problem: `${at}.events must be an array of {introduced|fixed|last_affected|limit} objects` };
  if (!Array.isArray(value)) return problem;
  const events: OsvEvent[] = [];
  for (const event of value) {
    const keys = isObject(event) ? Object.keys(event) : [];
    const kind = keys.length === 1 ? EVENT_KINDS.find((name) => name === keys[0]) : undefined;
    const version = kind === undefined ? undefined : (event as Json)[kind];
    if (kind === undefined || typeof version !== 'string') return problem;
    events.push({ kind, version });
  }
  return events;
}

/** A `[type, text]` list such as `severity` ({type, score}) or `references` ({type, url}). */
function readTyped(value: unknown, at: string, field: string): [string, string][] | Problem {
  if (value === undefined) return [];
  const pairs = Array.isArray(value) ? value.map((item) => (isObject(item) ? [item.type, item[field]] : [])) : null;
  if (pairs?.every((pair) => pair.every((text) => typeof text === 'string') && pair.length === 2)) {
    return pairs as [string, string][];
  }
  return { problem: `${at} must be an array of {type, ${field}} objects with string values` };
}

/** GitHub's words, plus MEDIUM, which some of its exports use for moderate. */
const LABELS: Record<string, Severity> = { LOW: 0, MODERATE: 1, MEDIUM: 1, HIGH: 2, CRITICAL: 3 };

/** `holder.severity` as a GitHub label; null when the holder gives none. */
function readLabel(holder: unknown, at: string): Severity | Skip | null | Problem {
  if (holder === undefined) return null;
  if (!isObject(holder)) return { problem: `${at} must be an object` };
  const label = holder.severity;
  if (label === undefined || label === null) return null;
  const severity = typeof label === 'string' ? LABELS[label.toUpperCase()] : undefined;
  return severity ?? { reason: `${at}.severity ${JSON.stringify(label)} is not LOW, MODERATE, HIGH or CRITICAL` };
}

/** CVSS v3.1 §7.4 base metric weights. Scope has none: it chooses the formula and PR's weights. */
const IMPACT = { H: 0.56, L: 0.22, N: 0 };
const WEIGHTS: Record<string, Record<string, number>> = {
  AV: { N: 0.85, A: 0.62, L: 0.55, P: 0.2 },
  AC: { L: 0.77, H: 0.44 },
  PR: { N: 0.85, L: 0.62, H: 0.27 },
  UI: { N: 0.85, R: 0.62 },
  S: { U: 0, C: 0 },
  C: IMPACT,
  I: IMPACT,
  A: IMPACT,
};
const PR_SCOPE_CHANGED: Record<string, number> = { N: 0.85, L: 0.68, H: 0.5 };
/** Temporal and environmental metrics may follow the base ones; the base score ignores them. */
const OTHER_METRICS = new Set(['E', 'RL', 'RC', 'CR', 'IR', 'AR', 'MAV', 'MAC', 'MPR', 'MUI', 'MS', 'MC', 'MI', 'MA']);

/** CVSS v3.1 Appendix A: round up to one decimal without binary fractions pushing 4.0 to 4.1. */
function roundUp(value: number): number {
  const scaled = Math.round(value * 100000);
  return scaled % 10000 === 0 ? scaled / 100000 : (Math.floor(scaled / 10000) + 1) / 10;
}

/** A CVSS 3.0 or 3.1 vector's base score by 3.1's formula (3.0 differs only in rounding); null when malformed. */
export function cvssV3BaseScore(vector: string): number | null {
  const [prefix, ...parts] = vector.split('/');
  if (prefix !== 'CVSS:3.0' && prefix !== 'CVSS:3.1') return null;
  const values = new Map<string, string>();
  for (const part of parts) {
    const [name = '', value = '', extra] = part.split(':');
    // Own keys only: "constructor:name" is no metric.
    const known = Object.hasOwn(WEIGHTS, name) && Object.hasOwn(WEIGHTS[name]!, value);
    if (!(known || (OTHER_METRICS.has(name) && value !== '')) || extra !== undefined || values.has(name)) return null;
    values.set(name, value);
  }
  if (Object.keys(WEIGHTS).some((name) => !values.has(name))) return null;
  const weight = (name: string) => WEIGHTS[name]?.[values.get(name) ?? ''] ?? Number.NaN;
  const changed = values.get('S') === 'C';
  const privileges = changed ? (PR_SCOPE_CHANGED[values.get('PR') ?? ''] ?? Number.NaN) : weight('PR');
  const iss = 1 - (1 - weight('C')) * (1 - weight('I')) * (1 - weight('A'));
  const impact = changed ? 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15 : 6.42 * iss;
  if (impact <= 0) return 0;
  const exploitability = 8.22 * weight('AV') * weight('AC') * privileges * weight('UI');
  return roundUp(Math.min((changed ? 1.08 : 1) * (impact + exploitability), 10));
}

/** `at` is where the entry sits ("affected[2]"); no package (OSV allows it for GIT ranges) leaves both names null. */
interface OsvEntry {
  at: string;
  ecosystem: string | null;
  name: string | null;
  ranges: OsvRange[];
  versions: string[];
  label: Severity | Skip | null;
  scores: [string, string][];
}

function readEntry(value: unknown, at: string): OsvEntry | Problem {
  if (!isObject(value)) return { problem: `${at} must be an object` };
  const { package: pkg, ranges = [], versions = [] } = value;
  const named = isObject(pkg) && typeof pkg.ecosystem === 'string' && typeof pkg.name === 'string';
  if (pkg !== undefined && !named) return { problem: `${at}.package must be an object with string ecosystem and name` };
  if (!Array.isArray(ranges)) return { problem: `${at}.ranges must be an array` };
  if (!Array.isArray(versions) || !versions.every((v) => typeof v === 'string')) {
    return { problem: `${at}.versions must be an array of strings` };
  }
  const read: OsvRange[] = [];
  for (const [j, range] of ranges.entries()) {
    if (!isObject(range) || typeof range.type !== 'string') {
      return { problem: `${at}.ranges[${j}] must be an object with a string type` };
    }
    const events = readEvents(range.events, `${at}.ranges[${j}]`);
    if (isProblem(events)) return events;
    read.push({ type: range.type, events });
  }
  const scores = readTyped(value.severity, `${at}.severity`, 'score');
  const own = readLabel(value.database_specific, `${at}.database_specific`);
  const specific = readLabel(value.ecosystem_specific, `${at}.ecosystem_specific`);
  const problem = [scores, own, specific].find(isProblem);
  if (problem !== undefined) return problem;
  const { ecosystem = null, name = null } = named ? (pkg as { ecosystem: string; name: string }) : {};
  const label = (own ?? specific) as Severity | Skip | null;
  return { at, ecosystem, name, ranges: read, versions, label, scores: scores as [string, string][] };
}

/** A NuGet range between two OSV versions; a null bound is open. */
function nugetRange(lower: string | null, upper: string | null, inclusive: boolean): string | Skip {
  const bounds: string[] = [];
  for (const text of [lower, upper]) {
    const version = text === null ? null : parseVersion(text);
    if (text !== null && version === null) return { reason: `${JSON.stringify(text)} is not a NuGet version` };
    bounds.push(version === null ? '' : normalizedVersion(version));
  }
  const text = `${lower === null ? '(' : '['}${bounds[0]}, ${bounds[1]}${inclusive ? ']' : ')'}`;
  const range = parseRange(text, { allowFloating: false });
  return range === null ? { reason: `${text} holds no version: its bounds are out of order` } : normalizedRange(range);
}

/**
 * An ECOSYSTEM or SEMVER range's events in order: introduced opens an interval ("0": from the first
 * version) that fixed or limit ends before and last_affected ends at; one left open has no end.
 */
function rangeVersions(range: OsvRange): string[] | Skip {
  if (range.type === 'GIT') return { reason: 'GIT ranges name commits, not package versions' };
  if (range.type !== 'ECOSYSTEM' && range.type !== 'SEMVER') {
    return { reason: `range type ${JSON.stringify(range.type)} is not ECOSYSTEM or SEMVER` };
  }
  const found: (string | Skip)[] = [];
  let open = false;
  let lower: string | null = null;
  for (const { kind, version } of range.events) {
    const order = open ? 'follows an introduced nothing closed' : 'closes no introduced';
    if ((kind === 'introduced') === open) return { reason: `${kind} ${JSON.stringify(version)} ${order}` };
    open = kind === 'introduced';
    if (open) lower = version === '0' ? null : version;
    else found.push(nugetRange(lower, version, kind === 'last_affected'));
  }
  if (open) found.push(nugetRange(lower, null, false));
  const unreadable = found.find(isSkip);
  if (unreadable !== undefined) return unreadable;
  return found.length > 0 ? (found as string[]) : { reason: 'its events introduce no version' };
}

/** What the whole document says about every entry. */
type DocumentFacts = { url: string | Skip; label: Severity | Skip | null; scores: [string, string][] };

/** nuget.org links a GitHub advisory by its GHSA id; others by their ADVISORY reference, else their first. */
function advisoryUrl(id: string, references: [string, string][]): string | Skip {
  const github: [string, string] = ['ADVISORY', `https://github.com/advisories/${encodeURIComponent(id)}`];
  const usable = [...(id.startsWith('GHSA-') ? [github] : []), ...references].filter(([, url]) => isAdvisoryUrl(url));
  const chosen = usable.find(([type]) => type === 'ADVISORY') ?? usable[0];
  return chosen?.[1] ?? { reason: 'no advisory URL: the id is no GHSA id and no reference is an absolute http(s) URL' };
}

/** The entry's label, else the document's; only then a CVSS v3 vector, the entry's before the document's. */
function entrySeverity(entry: OsvEntry, facts: DocumentFacts): Severity | Skip {
  const label = entry.label ?? facts.label;
  if (label !== null) return label;
  const vector = [...entry.scores, ...facts.scores].find(([type]) => type === 'CVSS_V3')?.[1];
  if (vector === undefined) return { reason: 'no severity: no database_specific.severity and no CVSS_V3 vector' };
  const score = cvssV3BaseScore(vector);
  if (score === null) return { reason: `${JSON.stringify(vector)} is not a CVSS v3 base vector` };
  if (score === 0) return { reason: `${JSON.stringify(vector)} scores 0.0, which has no severity` };
  // CVSS v3.1 §5's qualitative ratings, which GitHub's four labels mirror.
  return score < 4 ? 0 : score < 7 ? 1 : score < 9 ? 2 : 3;
}

/** The entry's advisories, each unreadable range reported through `skip`; a Skip when it yields none. */
function entryAdvisories(entry: OsvEntry, facts: DocumentFacts, skip: (reason: string) => void): OsvAdvisory[] | Skip {
  const { name, ecosystem } = entry;
  if (name === null) return { reason: 'no package, so nothing a NuGet client installs' };
  if (ecosystem !== 'NuGet') return { reason: `ecosystem ${JSON.stringify(ecosystem)} is not NuGet` };
  if (!isValidDependencyId(name)) return { reason: `${JSON.stringify(name)} is not a valid NuGet package id` };
  const { url } = facts;
  const severity = entrySeverity(entry, facts);
  if (isSkip(url)) return url;
  if (isSkip(severity)) return severity;
  const ranges: string[] = [];
  for (const [j, range] of entry.ranges.entries()) {
    const found = rangeVersions(range);
    if (isSkip(found)) skip(`ranges[${j}]: ${found.reason}`);
    else ranges.push(...found);
  }
  // `versions` enumerates what readable ranges already say; it stands in only when none can be read.
  for (const version of ranges.length === 0 ? entry.versions : []) {
    const exact = nugetRange(version, version, true);
    if (isSkip(exact)) skip(`versions: ${exact.reason}`);
    else ranges.push(exact);
  }
  if (entry.ranges.length === 0 && entry.versions.length === 0) return { reason: 'no ranges and no versions' };
  return ranges.map((versions) => ({ packageId: name, url, severity, versions }));
}

/** One OSV document; `problem` names the field that makes the whole document unusable. */
export function parseOsv(document: unknown): OsvRecord | Problem {
  if (!isObject(document)) return { problem: 'the document must be a JSON object (one OSV advisory)' };
  const { id, schema_version: schema, withdrawn, affected } = document;
  if (typeof id !== 'string' || id === '') return { problem: 'id must be a non-empty string' };
  if (schema !== undefined && typeof schema !== 'string') return { problem: 'schema_version must be a string' };
  if (withdrawn != null && typeof withdrawn !== 'string') return { problem: 'withdrawn must be an RFC 3339 timestamp' };
  const isWithdrawn = typeof withdrawn === 'string';
  // A withdrawn advisory may be emptied of everything but its id.
  if (affected === undefined && isWithdrawn) return { osvId: id, withdrawn: true, advisories: [], skipped: [] };
  if (!Array.isArray(affected)) return { problem: 'affected must be an array of {package, ranges, versions} objects' };
  const references = readTyped(document.references, 'references', 'url');
  const scores = readTyped(document.severity, 'severity', 'score');
  const label = readLabel(document.database_specific, 'database_specific');
  if (isProblem(references)) return references;
  if (isProblem(scores)) return scores;
  if (isProblem(label)) return label;
  const facts = { url: advisoryUrl(id, references), label, scores };
  // Keyed by lowercased id, url and range, since ids are case-insensitive (§10.1).
  const advisories = new Map<string, OsvAdvisory>();
  const skipped: OsvSkip[] = [];
  for (const [i, value] of affected.entries()) {
    const entry = readEntry(value, `affected[${i}]`);
    if (isProblem(entry)) return entry;
    const skip = (reason: string) => skipped.push({ packageId: entry.name, reason: `${entry.at}: ${reason}` });
    const found = entryAdvisories(entry, facts, skip);
    if (isSkip(found)) skip(found.reason);
    for (const advisory of isSkip(found) ? [] : found) {
      const key = JSON.stringify([advisory.packageId.toLowerCase(), advisory.url, advisory.versions]);
      const known = advisories.get(key);
      // Two entries can give one package and range two severities; the graver is the safe reading.
      if (known === undefined || known.severity < advisory.severity) advisories.set(key, advisory);
    }
    if (advisories.size > MAX_OSV_ADVISORIES) {
      return { problem: `affected yields more than ${MAX_OSV_ADVISORIES} NuGet advisories; split the document` };
    }
  }
  return { osvId: id, withdrawn: isWithdrawn, advisories: [...advisories.values()], skipped };
}
