/**
 * The V2 (OData/Atom) feed below /api/v2, for clients that speak only V2 (PowerShellGet v2,
 * Chocolatey, nuget.exe 2.x, a NuGet.Config source URL that does not end in .json): the service
 * document, $metadata, one entry, and the collections with their /$count. Parse the path
 * (src/odataLinks.ts) and the query (src/nuget/odataQuery.ts), read D1 (src/store/odataPackages.ts),
 * answer the document its pure builder makes.
 */
import type { IRequest } from 'itty-router';
import type { Env } from '../env';
import { originOf } from '../links';
import { MAX_PACKAGE_ID_LENGTH } from '../nuget/packageId';
import { includesSemVer2 } from '../nuget/range';
import { type ODataCollection, pageTake, parseV2Query, type V2Query } from '../nuget/odataQuery';
import { v2EntryDocument, v2FeedXml, v2ServiceDocument } from '../nuget/v2Feed';
import { v2MetadataXml } from '../nuget/v2Metadata';
import { lowerVersion, parseVersion } from '../nuget/version';
import { parseODataPath, v2Links } from '../odataLinks';
import { fail, failureResponse, isFailure } from '../problems';
import { v2Package, v2PackageCount, v2Packages } from '../store/odataPackages';

const XML = 'application/xml;charset=utf-8';
const FEED = 'application/atom+xml;type=feed;charset=utf-8';
const ENTRY = 'application/atom+xml;type=entry;charset=utf-8';

const text = (body: string, type: string) => new Response(body, { headers: { 'Content-Type': type } });

/** GET /api/v2 and /api/v2/: the service document. */
export function v2Service(request: IRequest): Response {
  return text(v2ServiceDocument(v2Links(originOf(request))), XML);
}

/** GET /api/v2/…: every other V2 resource, told apart by parseODataPath. */
export async function v2Resource(request: IRequest, env: Env): Promise<Response> {
  const url = new URL(request.url);
  const resource = parseODataPath(url.pathname);
  if (resource === null) {
    const path = url.pathname.slice(0, 200);
    return failureResponse(
      fail(
        'notFound',
        `Nothing is served at ${path}: the V2 feed has $metadata, Packages(), Packages(Id='…',Version='…'), FindPackagesById(), Search() and GetUpdates().`,
      ),
    );
  }
  if (resource.kind === 'service') return v2Service(request);
  if (resource.kind === 'metadata') return text(v2MetadataXml(), XML);
  if (resource.kind === 'entry') return entry(request, env, url, resource);
  return resource.count ? count(env, url, resource.collection) : collection(env, url, resource.collection);
}

/** Packages(Id='x',Version='1.0'): the version in any form that parses (1.0 is 1.0.0); 404 when absent. */
async function entry(request: IRequest, env: Env, url: URL, named: { id: string; version: string }): Promise<Response> {
  const version = parseVersion(named.version);
  const semVer2 = includesSemVer2(url.searchParams.get('semVerLevel'));
  const found =
    version === null || named.id.length > MAX_PACKAGE_ID_LENGTH
      ? null
      : await v2Package(env.DB, named.id.toLowerCase(), lowerVersion(version), semVer2);
  if (found === null) {
    const what = `${named.id.slice(0, 100)} ${named.version.slice(0, 64)}`;
    return failureResponse(fail('notFound', `There is no package ${what} on this feed.`));
  }
  return text(v2EntryDocument(v2Links(originOf(request)), found), ENTRY);
}

function query(url: URL, collection: ODataCollection): V2Query | Response {
  const q = parseV2Query(collection, url.searchParams);
  return isFailure(q) ? failureResponse(q) : q;
}

/**
 * A page of at most 100 entries, exactly min($top, what remains): PackageManagement stops at the
 * first page shorter than the $top it asked for. When the server cut the page (no $top, or one
 * over 100) and more remain, an absolute next link asks for the rest.
 */
async function collection(env: Env, url: URL, name: ODataCollection): Promise<Response> {
  const q = query(url, name);
  if (q instanceof Response) return q;
  const { take, serverPaged } = pageTake(q.top);
  const rows = await v2Packages(env.DB, q, q.skip, serverPaged ? take + 1 : take);
  const packages = rows.slice(0, take);
  const more = serverPaged && rows.length > take;
  const links = v2Links(url.origin);
  const next = more ? links.next(url, q.skip + take, q.top === null ? null : q.top - take) : null;
  return text(v2FeedXml(links, { title: name, packages, next, updated: new Date().toISOString() }), FEED);
}

/** /$count: the number a $skip and $top would leave, as plain text. */
async function count(env: Env, url: URL, name: ODataCollection): Promise<Response> {
  const q = query(url, name);
  if (q instanceof Response) return q;
  const total = Math.max(0, (await v2PackageCount(env.DB, q)) - q.skip);
  return text(String(q.top === null ? total : Math.min(total, q.top)), 'text/plain;charset=utf-8');
}
