/**
 * Search and autocomplete request parameters (protocol §5.1, §6) and nuget.org's query syntax (§5.2),
 * parsed into values the store turns into bound SQL. User text never reaches SQL or FTS syntax
 * unquoted: a text term becomes a quoted FTS5 phrase of letter/digit tokens (see ftsMatch).
 */
import { includesSemVer2 } from './range';
import { lowerVersion, parseVersion } from './version';

/** The FTS5 columns of package_search a field term can target. */
export type TextField = 'id' | 'title' | 'tags' | 'authors' | 'description' | 'summary';

export interface TextTerm {
  /** null: free text, matched against every column. */
  field: TextField | null;
  value: string;
}

export interface SearchQuery {
  /** Free text and field terms, all AND-ed, matched through package_search. */
  text: TextTerm[];
  /** `packageid:` values, lowercased: exact id equality. */
  packageIds: string[];
  /** `version:` values as lower normalized versions: equality with package_versions.lower_version. */
  versions: string[];
  /** Lowercased ids that rank first when they match (free text, `id:` and `packageid:` values). */
  exactIds: string[];
  /** `packagetype:` values, lowercased: filters like the packageType parameter (§5.1), all AND-ed. */
  packageTypes: string[];
  /**
   * A term no package can satisfy: an `owner:` (the feed has no ownership), an unparseable
   * `version:`, or a query whose every term names an unknown field (see parseSearchQuery).
   */
  matchesNothing: boolean;
}

export interface SearchParameters {
  q: string;
  skip: number;
  take: number;
  prerelease: boolean;
  semVer2: boolean;
  /** Lowercased package type name; null when absent or empty (no filter). */
  packageType: string | null;
}

/** Terms beyond this are ignored: it bounds the statement's bound parameters (D1 allows 100). */
export const MAX_TERMS = 16;
const DEFAULT_TAKE = 20;
const MAX_TAKE = 1000;

const fields: Record<string, TextField | 'packageid' | 'version' | 'owner' | 'packagetype'> = {
  id: 'id',
  packageid: 'packageid',
  version: 'version',
  title: 'title',
  tag: 'tags',
  tags: 'tags',
  author: 'authors',
  authors: 'authors',
  description: 'description',
  summary: 'summary',
  owner: 'owner',
  owners: 'owner',
  packagetype: 'packagetype',
};

function wholeNumber(text: string | null): number | null {
  if (text === null || !/^\s*[+-]?\d+\s*$/.test(text)) return null;
  return Math.max(-1, Math.min(Number.parseInt(text, 10), 2 ** 31 - 1));
}

/** §5.1: garbage never fails the request; nuget.org turns an out-of-range take into 20. */
export function parseSearchParameters(params: URLSearchParams): SearchParameters {
  const skip = wholeNumber(params.get('skip')) ?? 0;
  const take = wholeNumber(params.get('take')) ?? DEFAULT_TAKE;
  const packageType = (params.get('packageType') ?? '').trim().toLowerCase();
  return {
    q: (params.get('q') ?? '').trim(),
    skip: Math.max(skip, 0),
    take: take > 0 && take <= MAX_TAKE ? take : DEFAULT_TAKE,
    prerelease: (params.get('prerelease') ?? '').trim().toLowerCase() === 'true',
    semVer2: includesSemVer2(params.get('semVerLevel')),
    packageType: packageType === '' ? null : packageType,
  };
}

/** Splits q on whitespace outside double quotes; `field:"a b"` and `"a b"` keep their spaces. */
function rawTerms(q: string): { field: string | null; value: string }[] {
  const terms: { field: string | null; value: string }[] = [];
  const pattern = /(?:([A-Za-z]+):)?(?:"([^"]*)"?|(\S+))/g;
  for (const match of q.matchAll(pattern)) {
    const value = match[2] ?? match[3] ?? '';
    if (value.trim() !== '') terms.push({ field: match[1]?.toLowerCase() ?? null, value: value.trim() });
  }
  return terms;
}

/**
 * §5.2. nuget.org drops a term of an unknown field (`invalid:foo bar` searches `bar`) and, when
 * nothing is left, matches every package; EdgeGet drops it too, but a query whose every term
 * was dropped matches nothing: `foo:bar` asked for something, and "everything" would widen it.
 * `packagetype:` is EdgeGet's: the packageType parameter's filter (§5.1) written into q (nuget.org
 * has the parameter only, and would drop the field).
 */
export function parseSearchQuery(q: string): SearchQuery {
  const text: TextTerm[] = [];
  const [packageIds, versions, exactIds, packageTypes]: [string[], string[], string[], string[]] = [[], [], [], []];
  let matchesNothing = false;
  const terms = rawTerms(q).slice(0, MAX_TERMS);
  let dropped = 0;
  for (const { field, value } of terms) {
    const kind = field === null ? null : fields[field];
    if (kind === undefined) {
      dropped++;
      continue;
    }
    if (kind === 'owner') {
      matchesNothing = true;
    } else if (kind === 'version') {
      const version = parseVersion(value);
      if (version === null) matchesNothing = true;
      else versions.push(lowerVersion(version));
    } else if (kind === 'packageid') {
      packageIds.push(value.toLowerCase());
    } else if (kind === 'packagetype') {
      packageTypes.push(value.toLowerCase());
    } else if (tokensOf(value).length > 0) {
      text.push({ field: kind, value });
    }
    if (kind === null || kind === 'id' || kind === 'packageid') exactIds.push(value.toLowerCase());
  }
  if (terms.length > 0 && dropped === terms.length) matchesNothing = true;
  return { text, packageIds, versions, exactIds: [...new Set(exactIds)], packageTypes, matchesNothing };
}

/**
 * The letter and digit runs of a value: what package_search's unicode61 tokenizer indexes
 * (categories L*, N*, Co; '.', '-' and '_' are declared separators too, see schema.sql).
 */
function tokensOf(value: string): string[] {
  return value.match(/[\p{L}\p{N}\p{Co}]+/gu) ?? [];
}

/**
 * The FTS5 MATCH expression for the text terms, or null when there are none. Each term is one
 * quoted phrase of its tokens (so "OR", "*", "(" or a quote in q are never FTS syntax), scoped to
 * its column; free text and id terms are prefix phrases (`"contoso widg"*`) so a partially typed
 * id still matches (§5.2 "substring/token match on id").
 */
export function ftsMatch(terms: TextTerm[]): string | null {
  const phrases = terms.map(({ field, value }) => {
    const phrase = `"${tokensOf(value).join(' ')}"`;
    if (field === null) return `${phrase}*`;
    return field === 'id' ? `id : ${phrase}*` : `${field} : ${phrase}`;
  });
  return phrases.length === 0 ? null : phrases.join(' AND ');
}
