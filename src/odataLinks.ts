/**
 * The URL shapes of the V2 (OData) feed under /api/v2, beside push at /api/v2/package: what the
 * router matches, the parser of an OData resource path, and the builders of every URL a V2
 * document emits (entry ids, content src, next links). OData puts arguments in the path
 * (`Packages(Id='x',Version='1.0')`, `FindPackagesById()`), so one route takes every GET below
 * the base and `parseODataPath` tells the resources apart.
 */
import { type FeedLinks, feedLinks, fill, routes } from './links';
import type { ODataCollection } from './nuget/odataQuery';

const V2 = '/api/v2';

/** itty-router patterns (each also matches with a trailing slash). */
export const odataRoutes = {
  /** The service document: PowerShellGet's and nuget.exe's source URL. */
  serviceDocument: V2,
  /** Every other V2 resource: $metadata, Packages(…), FindPackagesById(), Search(), GetUpdates(). */
  resources: `${V2}/*`,
  /** The download URL an entry's content/@src names: push's unlist/relist URL, read with GET. */
  packageDownload: routes.packageListing,
} as const;

export type ODataResource =
  | { kind: 'service' }
  | { kind: 'metadata' }
  | { kind: 'entry'; id: string; version: string }
  | { kind: 'collection'; collection: ODataCollection; count: boolean };

const COLLECTIONS: readonly ODataCollection[] = ['Packages', 'Search', 'FindPackagesById', 'GetUpdates'];
/** An OData string literal's body: any character but a quote, a quote doubled. */
const LITERAL = "'((?:[^']|'')*)'";
const ENTRY = new RegExp(`^Packages\\(\\s*Id\\s*=\\s*${LITERAL}\\s*,\\s*Version\\s*=\\s*${LITERAL}\\s*\\)/?$`, 'i');
const COLLECTION = /^([A-Za-z]+)(\(\))?(\/\$count)?\/?$/;
const unquote = (text: string) => text.replaceAll("''", "'");

/**
 * The resource a path under /api/v2 names (percent-decoded first: clients send `%27` or `'`,
 * `%28` or `(`); null when it names none.
 */
export function parseODataPath(pathname: string): ODataResource | null {
  if (!pathname.toLowerCase().startsWith(V2.toLowerCase())) return null;
  let rest: string;
  try {
    rest = decodeURIComponent(pathname.slice(V2.length));
  } catch {
    return null;
  }
  if (rest === '' || rest === '/') return { kind: 'service' };
  rest = rest.slice(1);
  if (rest === '$metadata' || rest === '$metadata/') return { kind: 'metadata' };
  const entry = ENTRY.exec(rest);
  if (entry) return { kind: 'entry', id: unquote(entry[1] ?? ''), version: unquote(entry[2] ?? '') };
  const match = COLLECTION.exec(rest);
  const collection = COLLECTIONS.find((name) => name.toLowerCase() === match?.[1]?.toLowerCase());
  // Functions are called with (); only the entity set may be named bare (`Packages`, as NuGet.Core does).
  if (!match || !collection || (collection !== 'Packages' && match[2] === undefined)) return null;
  return { kind: 'collection', collection, count: match[3] !== undefined };
}

/** An OData string literal of a value, as entry ids carry them. */
function literal(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

export interface V2Links {
  /** The feed's base, with its trailing slash: xml:base of every document. */
  readonly base: string;
  readonly feed: FeedLinks;
  /** An entry's id and edit link: `{base}Packages(Id='…',Version='…')`. */
  entry(id: string, version: string): string;
  /** An entry's content/@src: `/api/v2/package/{id}/{version}`, the .nupkg. */
  content(id: string, version: string): string;
  /**
   * The next page of `request`: the same URL, its `$skip` moved on and a `$top` the client gave
   * reduced by what it got, so every page has its own URL (NuGet.Protocol refuses a repeated one).
   */
  next(request: URL, skip: number, top: number | null): string;
}

export function v2Links(origin: string): V2Links {
  const base = `${origin}${V2}/`;
  return {
    base,
    feed: feedLinks(origin),
    entry: (id, version) => `${base}Packages(Id=${literal(id)},Version=${literal(version)})`,
    content: (id, version) =>
      origin + fill(routes.packageListing, { id: encodeURIComponent(id), version: encodeURIComponent(version) }),
    next: (request, skip, top) => {
      const kept = [...request.searchParams].filter(([name]) => name !== '$skip' && name !== '$top');
      const paging: [string, string][] = [['$skip', String(skip)]];
      if (top !== null) paging.push(['$top', String(top)]);
      const query = [...kept, ...paging]
        .map(([name, value]) => `${encodeURIComponent(name).replace(/^%24/, '$')}=${encodeURIComponent(value)}`)
        .join('&');
      return `${origin}${request.pathname}?${query}`;
    },
  };
}
