/**
 * GET {hive}{lowerId}/index.json, …/page/{lower}/{upper}.json and …/{lowerVersion}.json
 * (protocol §4). Index and page documents are stored in KV per hive level (src/pages/rebuild.ts)
 * and bound to this request's origin and hive; leaf documents are derived from their leaf item.
 * KV may serve a document up to 60 s old at other locations (docs/platform.md §3).
 * Index and page documents go through the edge cache (src/store/edgeCache.ts): a hit reads nothing.
 */
import type { IRequest } from 'itty-router';
import { contentTag, entityTag, notModified, SHORT_LIVED, validatorHeaders, type Validators } from '../cachePolicy';
import { cachedText, type TaggedText } from '../store/edgeCache';
import type { Env } from '../env';
import { bindStoredDocument, feedLinks, hiveIsGzip, hiveLevel, originOf, type Hive, type HiveLevel } from '../links';
import { locateLeaf, registrationLeaf, type RegistrationIndex, type RegistrationPage } from '../nuget/registration';
import { lowerVersion, parseVersion, type NuGetVersion } from '../nuget/version';
import { fail, failureResponse } from '../problems';
import { jsonTextResponse } from '../respond';
import { pageKeys, type PageMetadata } from '../store/pages';

const PAGE = /^page\/([^/]+)\/([^/]+)\.json$/;
const LEAF = /^([^/]+)\.json$/;

/** A stored document's text (still bound to STORED_ORIGIN) and its content hash, from one KV read. */
async function storedText(kv: KVNamespace, key: string): Promise<TaggedText | null> {
  const { value, metadata } = await kv.getWithMetadata<PageMetadata>(key);
  return value === null ? null : { text: value, tag: metadata?.etag ?? (await contentTag(value)) };
}

/**
 * One KV read for the index; a second only when the leaf sits behind a stub (§4.7). A leaf is a
 * function of the document holding its item, so that document's hash and the version tag it.
 */
async function leafDocument(kv: KVNamespace, level: HiveLevel, lowerId: string, version: NuGetVersion) {
  let source = await storedText(kv, pageKeys.registrationIndex(level, lowerId));
  let found = source ? locateLeaf((JSON.parse(source.text) as RegistrationIndex).items, version) : null;
  if (found && 'stub' in found) {
    const { lower, upper } = found.stub;
    source = await storedText(kv, pageKeys.registrationPage(level, lowerId, lower, upper));
    found = source ? locateLeaf([JSON.parse(source.text) as RegistrationPage], version) : null;
  }
  if (!source || !found || !('item' in found)) return null;
  return { text: JSON.stringify(registrationLeaf(found.item)), tag: `${source.tag}-${lowerVersion(version)}` };
}

/**
 * The document bound to this request's origin and hive. Index and page documents are cached at
 * their canonical URL (src/links.ts), which purgePackageCache removes after a change. Leaves are
 * not: they are off the restore path, and a change would have to purge one per version.
 */
async function servedDocument(
  request: IRequest,
  env: Env,
  ctx: ExecutionContext,
  hive: Hive,
  lowerId: string,
  document: string,
): Promise<TaggedText | null> {
  const level = hiveLevel(hive);
  const origin = originOf(request);
  const links = feedLinks(origin);
  const bound = (stored: TaggedText | null) =>
    stored && { ...stored, text: bindStoredDocument(stored.text, origin, hive) };
  if (document === 'index.json') {
    return cachedText(caches.default, links.registrationIndex(hive, lowerId), ctx, async () =>
      bound(await storedText(env.PAGES, pageKeys.registrationIndex(level, lowerId))),
    );
  }
  const page = PAGE.exec(document);
  if (page) {
    const [lower = '', upper = ''] = page.slice(1);
    return cachedText(caches.default, links.registrationPage(hive, lowerId, lower, upper), ctx, async () =>
      bound(await storedText(env.PAGES, pageKeys.registrationPage(level, lowerId, lower, upper))),
    );
  }
  const leaf = LEAF.exec(document);
  const version = leaf ? parseVersion(leaf[1] ?? '') : null;
  return version ? bound(await leafDocument(env.PAGES, level, lowerId, version)) : null;
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
function documentResponse(request: Request, document: TaggedText, hive: Hive): Response {
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

export async function registrationDocument(
  request: IRequest,
  env: Env,
  ctx: ExecutionContext,
  hive: Hive,
): Promise<Response> {
  // Lenient on case (§3.1); page and leaf URLs are lowercase by construction.
  const lowerId = (request.params.lowerId ?? '').toLowerCase();
  const document = (request.params.document ?? '').toLowerCase();
  const found = await servedDocument(request, env, ctx, hive, lowerId, document);
  if (found === null) {
    return failureResponse(fail('notFound', `The package '${lowerId}' has no ${document} in this registration hive.`));
  }
  return documentResponse(request, found, hive);
}
