/**
 * GET {hive}{lowerId}/index.json, …/page/{n}.json and …/{lowerVersion}.json
 * (protocol §4). Index and page documents are stored in KV per hive level (src/documents/rebuild.ts)
 * and bound to this request's origin and hive; leaf documents are derived from their leaf item.
 * KV may serve a document up to 60 s old at other locations (docs/platform.md §3).
 * Index and page documents go through the edge cache (src/store/edgeCache.ts): a hit reads nothing.
 */
import type { IRequest } from 'itty-router';
import { entityTag, notModified, SHORT_LIVED, validatorHeaders, type Validators } from '../cachePolicy';
import type { Env } from '../env';
import {
  pageNumberOfUrl,
  parseRegistrationIndex,
  parseRegistrationLeaf,
  parseRegistrationPage,
  type RegistrationRequest,
} from '../linkParams';
import {
  bindStoredDocument,
  type FeedLinks,
  feedLinks,
  hiveIsGzip,
  hiveLevel,
  originOf,
  type Hive,
  type HiveLevel,
} from '../links';
import {
  locateLeaf,
  registrationLeaf as leafOf,
  type RegistrationIndex,
  type RegistrationPage,
} from '../nuget/registration';
import { lowerVersion, type NuGetVersion } from '../nuget/version';
import { fail, type Failure, failureResponse, isFailure } from '../problems';
import { jsonTextResponse } from '../respond';
import { cachedText } from '../store/edgeCache';
import { documentKeys, readDocument, type TaggedText } from '../store/documents';
import type { RegistrationDocument } from '../upstreamCache';
import { upstreamRegistration } from './upstreamReads';

type Handler = (request: IRequest, env: Env, ctx: ExecutionContext, cache: Cache) => Promise<Response>;

/**
 * One KV read for the index; a second only when the leaf sits behind a stub (§4.7). A leaf is a
 * function of the document holding its item, so that document's hash and the version tag it.
 */
async function leafDocument(kv: KVNamespace, level: HiveLevel, lowerId: string, version: NuGetVersion) {
  let source = await readDocument(kv, documentKeys.registrationIndex(level, lowerId));
  let found = source ? locateLeaf((JSON.parse(source.text) as RegistrationIndex).items, version) : null;
  if (found && 'stub' in found) {
    const page = pageNumberOfUrl(found.stub['@id']);
    source = page === null ? null : await readDocument(kv, documentKeys.registrationPage(level, lowerId, page));
    found = source ? locateLeaf([JSON.parse(source.text) as RegistrationPage], version) : null;
  }
  if (!source || !found || !('item' in found)) return null;
  return { text: JSON.stringify(leafOf(found.item)), tag: `${source.tag}-${lowerVersion(version)}` };
}

/**
 * Index and page documents are cached at their canonical URL (src/links.ts), which
 * purgePackageCache removes after a change.
 */
function cachedDocument(
  hive: Hive,
  locate: (request: IRequest, links: FeedLinks) => { wanted: RegistrationRequest; url: string; key: string } | null,
): Handler {
  return async (request, env, ctx, cache) => {
    const located = locate(request, feedLinks(originOf(request)));
    if (located === null) return tooLong();
    const { wanted, url, key } = located;
    const found = await cachedText(cache, url, ctx, async () =>
      bound(request, hive, await readDocument(env.PAGES, key)),
    );
    const page = 'page' in wanted && typeof wanted.page === 'number' ? { page: wanted.page } : {};
    return documentResponse(request, hive, wanted, found ?? (await upstream(request, env, hive, wanted, page)));
  };
}

export function registrationIndex(hive: Hive): Handler {
  return cachedDocument(hive, (request, links) => {
    const wanted = parseRegistrationIndex(request.params);
    if (wanted === null) return null;
    const { lowerId } = wanted;
    return {
      wanted,
      url: links.registrationIndex(hive, lowerId),
      key: documentKeys.registrationIndex(hiveLevel(hive), lowerId),
    };
  });
}

export function registrationPage(hive: Hive): Handler {
  return cachedDocument(hive, (request, links) => {
    const wanted = parseRegistrationPage(request.params);
    if (wanted === null) return null;
    const { lowerId, page } = wanted;
    const url = links.registrationPage(hive, lowerId, page);
    return { wanted, url, key: documentKeys.registrationPage(hiveLevel(hive), lowerId, page) };
  });
}

/** Leaves are not cached: they are off the restore path, and a change would have to purge one per version. */
export function registrationLeaf(hive: Hive): Handler {
  return async (request, env) => {
    const wanted = parseRegistrationLeaf(request.params);
    if (wanted === null) return tooLong();
    const stored = await leafDocument(env.PAGES, hiveLevel(hive), wanted.lowerId, wanted.version);
    const found = stored ? bound(request, hive, stored) : null;
    const leaf = { leaf: lowerVersion(wanted.version) };
    return documentResponse(request, hive, wanted, found ?? (await upstream(request, env, hive, wanted, leaf)));
  };
}

/** A document of the pull-through upstream's, for an id with no local one (src/routes/upstreamReads.ts). */
async function upstream(
  request: Request,
  env: Env,
  hive: Hive,
  wanted: RegistrationRequest,
  document: RegistrationDocument,
): Promise<TaggedText | Failure | null> {
  const found = await upstreamRegistration(env, wanted.lowerId, hiveLevel(hive), document);
  return found === null || isFailure(found) ? found : bound(request, hive, found);
}

/** An id or version longer than any stored one, or no version (linkParams.ts): nothing is there. */
function tooLong(): Response {
  return failureResponse(fail('notFound', 'This registration hive has no document at that address.'));
}

/** A stored document bound to this request's origin and hive. */
function bound(request: Request, hive: Hive, stored: TaggedText | null): TaggedText | null {
  return stored && { ...stored, text: bindStoredDocument(stored.text, originOf(request), hive) };
}

/** Whether Accept-Encoding allows gzip: named with q > 0, or else `*` with q > 0 (RFC 9110 §12.5.3). */
function acceptsGzip(header: string | null): boolean {
  const qualities = new Map<string, number>();
  for (const part of (header ?? '').split(',')) {
    const [coding = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const q = params.find((param) => param.startsWith('q='));
    qualities.set(coding, q ? Number(q.slice(2)) : 1);
  }
  const q = qualities.get('gzip') ?? qualities.get('*') ?? 0;
  return q > 0;
}

/**
 * The gzip hives are documented as gzip-encoded (§4.8): they are, when the client accepts it
 * (the official client always does). `encodeBody: 'manual'` sends the bytes as they are, so
 * Cloudflare does not compress them again. The plain hive is always identity-encoded. The edge
 * cache holds the identity text; each encoding has its own ETag (hash, hive, `gz`), and the
 * gzip hives say `Vary: Accept-Encoding` on 200 and 304 alike.
 */
function documentResponse(
  request: Request,
  hive: Hive,
  wanted: RegistrationRequest,
  document: TaggedText | Failure | null,
): Response {
  if (isFailure(document)) return failureResponse(document);
  if (document === null) {
    const missing = `The package '${wanted.lowerId}' has no ${wanted.document} in this registration hive.`;
    return failureResponse(fail('notFound', missing));
  }
  const gzip = hiveIsGzip(hive) && acceptsGzip(request.headers.get('Accept-Encoding'));
  const validators: Validators = {
    etag: gzip ? entityTag(document.tag, hive, 'gz') : entityTag(document.tag, hive),
    cacheControl: SHORT_LIVED,
    vary: hiveIsGzip(hive) ? 'Accept-Encoding' : undefined,
  };
  const unchanged = notModified(request, validators);
  if (unchanged) return unchanged;
  if (!gzip) return jsonTextResponse(document.text, { headers: validatorHeaders(validators) });
  const body = new Blob([document.text]).stream().pipeThrough(new CompressionStream('gzip'));
  const headers = {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Encoding': 'gzip',
    ...validatorHeaders(validators),
  };
  return new Response(body, { headers, encodeBody: 'manual' });
}
