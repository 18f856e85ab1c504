/**
 * A V2 collection request's query (`$filter`, `$orderby`, `$skip`, `$top`, `semVerLevel` and the
 * function's own arguments) read into values the store runs. Function arguments are OData
 * literals (`id='Contoso.Lib'`, a quote inside doubled); the URL layer has already decoded `%27`
 * and `%24`. Options outside the subset clients send are a 400 naming them, never ignored into a
 * different answer; `$select` and `$format=atom` only shape a response, so they are accepted.
 */
import { fail, type Failure, isFailure } from '../problems';
import { type ODataFilter, parseODataFilter, readStringLiteral } from './odataFilter';
import { includesSemVer2, parseRange, type VersionRange } from './range';
import { type NuGetVersion, parseVersion } from './version';

export type ODataCollection = 'Packages' | 'Search' | 'FindPackagesById' | 'GetUpdates';

export const ORDER_FIELDS = [
  'Id',
  'Version',
  'DownloadCount',
  'VersionDownloadCount',
  'Published',
  'Created',
  'LastEdited',
  'Title',
] as const;
export type OrderField = (typeof ORDER_FIELDS)[number];
export interface OrderItem {
  field: OrderField;
  descending: boolean;
}

export interface PackageUpdate {
  lowerId: string;
  version: NuGetVersion;
  /** The client's versionConstraints entry for the id; null when it gives none. */
  range: VersionRange | null;
}

export interface V2Query {
  collection: ODataCollection;
  filter: ODataFilter | null;
  orderBy: OrderItem[];
  skip: number;
  /** The client's `$top`; null when absent (the server pages). */
  top: number | null;
  /** `semVerLevel=2.0.0`: SemVer 2 versions are shown (nuget.org hides them otherwise). */
  semVer2: boolean;
  /** FindPackagesById()'s id, lowercased. */
  lowerId: string | null;
  /** Search()'s searchTerm and includePrerelease (GetUpdates() has includePrerelease too). */
  searchTerm: string;
  includePrerelease: boolean;
  updates: { packages: PackageUpdate[]; includeAllVersions: boolean } | null;
}

/** One page of a feed holds at most this many entries, nuget.org's MaxPageSize. */
export const V2_PAGE_SIZE = 100;
/** GetUpdates() checks at most this many ids in one request. */
export const MAX_UPDATE_IDS = 100;
const MAX_ARGUMENT_LENGTH = 4000;
const SHAPING_OPTIONS = new Set(['$select', '$format', '$inlinecount']);

const bad = (message: string) => fail('badRequest', message);

/** A function argument: a quoted OData string, or (leniently) a bare value without quotes. */
function stringArgument(params: URLSearchParams, name: string): string | Failure {
  const raw = params.get(name) ?? '';
  if (raw.length > MAX_ARGUMENT_LENGTH)
    return bad(`The ${name} argument is longer than ${MAX_ARGUMENT_LENGTH} characters.`);
  if (!raw.startsWith("'")) return raw;
  const literal = readStringLiteral(raw, 0);
  return literal && literal.end === raw.length
    ? literal.value
    : bad(`The ${name} argument ${raw.slice(0, 100)} is not an OData string ('text', a quote inside doubled).`);
}

function booleanArgument(params: URLSearchParams, name: string): boolean | Failure {
  const raw = (params.get(name) ?? 'false').replace(/^'(.*)'$/, '$1').toLowerCase();
  if (raw === 'true' || raw === 'false' || raw === '') return raw === 'true';
  return bad(`The ${name} argument must be true or false.`);
}

function count(params: URLSearchParams, name: '$skip' | '$top'): number | null | Failure {
  const raw = params.get(name);
  if (raw === null) return null;
  return /^[0-9]{1,9}$/.test(raw.trim()) ? Number(raw.trim()) : bad(`${name} must be a whole number.`);
}

function parseOrderBy(text: string | null): OrderItem[] | Failure {
  if (text === null || text.trim() === '') return [];
  const items = text.split(',').map((part) => part.trim().split(/\s+/));
  if (items.length > 4) return bad('$orderby takes at most 4 properties.');
  const order: OrderItem[] = [];
  for (const [name = '', direction = 'asc', ...rest] of items) {
    const field = ORDER_FIELDS.find((f) => f.toLowerCase() === name.toLowerCase());
    const dir = direction.toLowerCase();
    if (!field || rest.length > 0 || (dir !== 'asc' && dir !== 'desc')) {
      return bad(
        `$orderby '${text.slice(0, 100)}' is not supported: order by ${ORDER_FIELDS.join(', ')}, each asc or desc.`,
      );
    }
    order.push({ field, descending: dir === 'desc' });
  }
  return order;
}

function checkOptions(params: URLSearchParams): Failure | null {
  for (const [name, value] of params) {
    if (!name.startsWith('$') || ['$filter', '$orderby', '$skip', '$top'].includes(name)) continue;
    const shaping = SHAPING_OPTIONS.has(name);
    if (name === '$format' && !['atom', 'xml', 'application/atom+xml'].includes(value.toLowerCase())) {
      return bad(`$format=${value.slice(0, 40)} is not supported: this feed answers in Atom XML.`);
    }
    if (name === '$inlinecount' && value.toLowerCase() !== 'none')
      return bad('$inlinecount is not supported; ask /$count.');
    if (!shaping) return bad(`The query option ${name.slice(0, 40)} is not supported here.`);
  }
  return null;
}

function parseUpdates(params: URLSearchParams): NonNullable<V2Query['updates']> | Failure {
  const [ids, versions, constraints] = ['packageIds', 'versions', 'versionConstraints'].map((name) =>
    stringArgument(params, name),
  );
  if (isFailure(ids)) return ids;
  if (isFailure(versions)) return versions;
  if (isFailure(constraints)) return constraints;
  const split = (text: string | undefined) => (text ? text.split('|') : []);
  const [idList, versionList, rangeList] = [split(ids), split(versions), split(constraints)];
  if (idList.length > MAX_UPDATE_IDS) return bad(`GetUpdates() checks at most ${MAX_UPDATE_IDS} ids at once.`);
  if (idList.length !== versionList.length) return bad('GetUpdates() needs as many versions as packageIds.');
  if (rangeList.length > 0 && rangeList.length !== idList.length) {
    return bad('GetUpdates() needs as many versionConstraints as packageIds, or none.');
  }
  const packages: PackageUpdate[] = [];
  for (const [i, id] of idList.entries()) {
    const version = parseVersion(versionList[i] ?? '');
    const rangeText = rangeList[i] ?? '';
    const range = rangeText === '' ? null : parseRange(rangeText);
    if (version === null) return bad(`GetUpdates(): '${versionList[i]?.slice(0, 64)}' is not a version.`);
    if (rangeText !== '' && range === null) return bad(`GetUpdates(): '${rangeText.slice(0, 64)}' is not a range.`);
    packages.push({ lowerId: id.trim().toLowerCase(), version, range });
  }
  const includeAllVersions = booleanArgument(params, 'includeAllVersions');
  return isFailure(includeAllVersions) ? includeAllVersions : { packages, includeAllVersions };
}

type FunctionArguments = Pick<V2Query, 'lowerId' | 'searchTerm' | 'includePrerelease' | 'updates'>;

function functionArguments(collection: ODataCollection, params: URLSearchParams): FunctionArguments | Failure {
  const includePrerelease = booleanArgument(params, 'includePrerelease');
  if (isFailure(includePrerelease)) return includePrerelease;
  const none: FunctionArguments = { lowerId: null, searchTerm: '', includePrerelease, updates: null };
  if (collection === 'FindPackagesById') {
    const id = stringArgument(params, 'id');
    if (isFailure(id)) return id;
    if (id.trim() === '') return bad("FindPackagesById() needs an id: FindPackagesById()?id='Package.Id'.");
    return { ...none, lowerId: id.trim().toLowerCase() };
  }
  if (collection === 'Search') {
    const searchTerm = stringArgument(params, 'searchTerm');
    return isFailure(searchTerm) ? searchTerm : { ...none, searchTerm: searchTerm.trim() };
  }
  if (collection === 'GetUpdates') {
    const updates = parseUpdates(params);
    return isFailure(updates) ? updates : { ...none, updates };
  }
  return none;
}

/** The query of a collection request; `params` are the URL's, names and values decoded. */
export function parseV2Query(collection: ODataCollection, params: URLSearchParams): V2Query | Failure {
  const problem = checkOptions(params);
  if (problem) return problem;
  const filterText = (params.get('$filter') ?? '').trim();
  const filter = filterText === '' ? null : parseODataFilter(filterText);
  if (isFailure(filter)) return filter;
  const orderBy = parseOrderBy(params.get('$orderby'));
  if (isFailure(orderBy)) return orderBy;
  const skip = count(params, '$skip');
  if (isFailure(skip)) return skip;
  const top = count(params, '$top');
  if (isFailure(top)) return top;
  const args = functionArguments(collection, params);
  if (isFailure(args)) return args;
  return {
    collection,
    filter,
    orderBy,
    skip: skip ?? 0,
    top,
    semVer2: includesSemVer2(params.get('semVerLevel')),
    ...args,
  };
}

/** How many entries a page returns, and whether the server cut it (then a next link follows). */
export function pageTake(top: number | null): { take: number; serverPaged: boolean } {
  return top === null || top > V2_PAGE_SIZE
    ? { take: V2_PAGE_SIZE, serverPaged: true }
    : { take: top, serverPaged: false };
}
