/**
 * NuGet versions (protocol §9): parsing, the normalized and full strings, and the default order.
 * Grammar: Major[.Minor[.Patch[.Revision]]][-Label(.Label)*][+Meta(.Meta)*].
 */

export interface NuGetVersion {
  major: number;
  minor: number;
  patch: number;
  revision: number;
  releaseLabels: string[];
  /** Text after '+', or null when the version has none. Never affects identity or order (§9.2). */
  metadata: string | null;
  /** As written, minus any spaces (NuGet keeps it for ToString of SemVer 1 versions). */
  originalVersion: string;
}

/**
 * .NET's char.IsWhiteSpace, which String.Trim and IsNullOrWhiteSpace use. JavaScript's trim() differs:
 * it also strips U+FEFF and keeps U+0085, so NuGet's trimming is spelled out here.
 */
const SPACE = '[\\t-\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const EDGE_SPACE = new RegExp(`^${SPACE}+|${SPACE}+$`, 'g');

/** String.Trim() as .NET does it. */
export function trimWhiteSpace(text: string): string {
  return text.replace(EDGE_SPACE, '');
}

/** String.IsNullOrWhiteSpace for a string. */
export function isBlank(text: string): boolean {
  return trimWhiteSpace(text) === '';
}

/** Numeric parts are .NET Int32 values. */
const MAX_PART = 2147483647;

/** Label and metadata identifiers are ASCII alphanumerics and hyphens (SemVer 2.0.0 §9, §10). */
const IDENTIFIER = /^[0-9A-Za-z-]+$/;
const DIGITS = /^[0-9]+$/;

interface Sections {
  core: string;
  labels: string[];
  metadata: string | null;
}

/** The core ends at the first '-' or '+'; labels run to the first '+' after that. */
function splitSections(text: string): Sections {
  const dash = text.indexOf('-');
  const plus = text.indexOf('+');
  const coreEnd = dash < 0 ? plus : plus < 0 ? dash : Math.min(dash, plus);
  if (coreEnd < 0) return { core: text, labels: [], metadata: null };
  const core = text.slice(0, coreEnd);
  if (text[coreEnd] === '+') return { core, labels: [], metadata: text.slice(coreEnd + 1) };
  const labelsEnd = plus < 0 ? text.length : plus;
  return {
    core,
    labels: text.slice(coreEnd + 1, labelsEnd).split('.'),
    metadata: plus < 0 ? null : text.slice(plus + 1),
  };
}

/** A purely numeric label may not have a leading zero (SemVer 2.0.0 §9); metadata parts may. */
function isValidLabel(label: string): boolean {
  return IDENTIFIER.test(label) && !(label.length > 1 && label[0] === '0' && DIGITS.test(label));
}

function isValidMetadata(metadata: string | null): boolean {
  return metadata === null || metadata.split('.').every((part) => IDENTIFIER.test(part));
}

function toPart(digits: string): number | null {
  if (!DIGITS.test(digits)) return null;
  const value = Number(digits);
  return value <= MAX_PART ? value : null;
}

/**
 * System.Version rules, which NuGet's lenient parser uses for the numeric parts: 1-4 parts
 * (NuGet pads a single part), each an Int32 with optional leading zeros and surrounding
 * whitespace ("   19.   19" is 19.19).
 */
function parseLenientCore(core: string): number[] | null {
  const parts = core.split('.');
  if (parts.length > 4) return null;
  const numbers: number[] = [];
  for (const part of parts) {
    const value = toPart(part.replace(/^[\t\n\v\f\r ]+|[\t\n\v\f\r ]+$/g, ''));
    if (value === null) return null;
    numbers.push(value);
  }
  return numbers;
}

/** Strict SemVer 2.0.0 §2: exactly three parts, no leading zeros, no whitespace. */
function parseStrictCore(core: string): number[] | null {
  const parts = core.split('.');
  if (parts.length !== 3) return null;
  const numbers: number[] = [];
  for (const part of parts) {
    if (part.length > 1 && part[0] === '0') return null;
    const value = toPart(part);
    if (value === null) return null;
    numbers.push(value);
  }
  return numbers;
}

function build(text: string, parseCore: (core: string) => number[] | null, original: string): NuGetVersion | null {
  const { core, labels, metadata } = splitSections(text);
  const numbers = parseCore(core);
  if (numbers === null || !labels.every(isValidLabel) || !isValidMetadata(metadata)) return null;
  const [major = 0, minor = 0, patch = 0, revision = 0] = numbers;
  return { major, minor, patch, revision, releaseLabels: labels, metadata, originalVersion: original };
}

/** NuGetVersion.TryParse: lenient, trims, 1-4 numeric parts with leading zeros allowed (§9.1). */
export function parseVersion(text: string): NuGetVersion | null {
  const trimmed = trimWhiteSpace(text);
  if (trimmed === '') return null;
  return build(trimmed, parseLenientCore, text.replaceAll(' ', ''));
}

/** SemanticVersion.TryParse / NuGetVersion.TryParseStrict: exactly SemVer 2.0.0. */
export function parseStrictVersion(text: string): NuGetVersion | null {
  return build(text, parseStrictCore, text);
}

/** §9.2: at least Major.Minor.Patch, revision only when non-zero, labels keep their casing. */
export function normalizedVersion(v: NuGetVersion): string {
  const numbers = `${v.major}.${v.minor}.${v.patch}${v.revision > 0 ? `.${v.revision}` : ''}`;
  return v.releaseLabels.length > 0 ? `${numbers}-${v.releaseLabels.join('.')}` : numbers;
}

/** §9.2 "full" string: what registration catalogEntry.version and search show. */
export function fullVersion(v: NuGetVersion): string {
  return hasMetadata(v) ? `${normalizedVersion(v)}+${v.metadata}` : normalizedVersion(v);
}

/** §9.2 step 4: the identity of a package version and its URL segment. */
export function lowerVersion(v: NuGetVersion): string {
  return normalizedVersion(v).toLowerCase();
}

/**
 * NuGetVersion.ToString(): the original text for SemVer 1 versions (so "1.0" stays "1.0"),
 * the normalized string for SemVer 2 ones.
 */
export function versionToString(v: NuGetVersion): string {
  return isSemVer2Version(v) || v.originalVersion === '' ? normalizedVersion(v) : v.originalVersion;
}

export function hasMetadata(v: NuGetVersion): boolean {
  return v.metadata !== null && v.metadata !== '';
}

export function isPrerelease(v: NuGetVersion): boolean {
  return v.releaseLabels.length > 0;
}

/** §9.5: SemVer 1 clients cannot read dotted labels or metadata. */
export function isSemVer2Version(v: NuGetVersion): boolean {
  return v.releaseLabels.length > 1 || hasMetadata(v);
}

const SIGNED_DIGITS = /^-?[0-9]+$/;

/**
 * NuGet treats a label as numeric when int.TryParse accepts it, and that takes a leading '-': "-5"
 * is -5 (so "1.0.0--5" sorts before "1.0.0-0", and "-05" equals "-5"). Others compare as text.
 */
function numericLabel(label: string): number | null {
  if (!SIGNED_DIGITS.test(label)) return null;
  const value = Number(label);
  return value >= -MAX_PART - 1 && value <= MAX_PART ? value + 0 : null;
}

/** Ordinal, case-insensitive (NuGet upper-cases both sides); labels are ASCII. */
function compareText(a: string, b: string): number {
  const x = a.toUpperCase();
  const y = b.toUpperCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

function compareLabel(a: string, b: string): number {
  const x = numericLabel(a);
  const y = numericLabel(b);
  if (x !== null && y !== null) return Math.sign(x - y);
  if (x !== null) return -1;
  if (y !== null) return 1;
  return compareText(a, b);
}

/** §9.3, which is SemVer 2.0.0 §11 plus the revision part. */
function compareReleaseLabels(a: string[], b: string[]): number {
  if (a.length === 0 || b.length === 0) return Math.sign(b.length - a.length);
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const result = compareLabel(a[i] ?? '', b[i] ?? '');
    if (result !== 0) return result;
  }
  return Math.sign(a.length - b.length);
}

/** NuGet's default comparer (§9.3): sign of a - b; metadata ignored, labels case-insensitive. */
export function compareVersions(a: NuGetVersion, b: NuGetVersion): number {
  return (
    Math.sign(a.major - b.major) ||
    Math.sign(a.minor - b.minor) ||
    Math.sign(a.patch - b.patch) ||
    Math.sign(a.revision - b.revision) ||
    compareReleaseLabels(a.releaseLabels, b.releaseLabels)
  );
}

const NUMERIC_LABEL_OFFSET = MAX_PART + 1;

/** A numeric part: its digit count as a letter ('a' = 1 … 'j' = 10), then its digits. */
function partKey(n: number): string {
  const digits = String(n);
  return String.fromCharCode(96 + digits.length) + digits;
}

/**
 * A string whose byte order (SQLite's BINARY collation, JavaScript's `<`) is compareVersions'
 * order, so SQL can pick an id's latest version (§9.3). Keys are ASCII and none is a prefix of
 * another. Per label: 'n' and the Int32 shifted to 10 digits (numbers sort below text), or 't',
 * the upper-cased text and '!' (below every label character, so "alpha" < "alpha1"). '#' closes
 * the labels (fewer labels sort first); a release ends in '~', above any label.
 */
export function versionSortKey(v: NuGetVersion): string {
  const core = [v.major, v.minor, v.patch, v.revision].map(partKey).join('');
  if (v.releaseLabels.length === 0) return `${core}~`;
  const labels = v.releaseLabels.map((label) => {
    const n = numericLabel(label);
    return n === null ? `t${label.toUpperCase()}!` : `n${String(n + NUMERIC_LABEL_OFFSET).padStart(10, '0')}`;
  });
  return `${core}${labels.join('')}#`;
}
