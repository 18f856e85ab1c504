/**
 * The flat container (protocol §3): the version list from KV, package files straight from R2.
 * Ids and versions are lowercased and normalized whatever their form (§3.1 allows the leniency);
 * every URL the feed emits is already canonical.
 */
import type { IRequest } from 'itty-router';
import { blobHeadResponse, blobResponse, type BlobFile } from '../store/blobResponse';
import { contentTag, entityTag, notModified, SHORT_LIVED, validatorHeaders } from '../cachePolicy';
import { countDownload, isDownload } from '../downloadCounter';
import { cachedText } from '../store/edgeCache';
import type { Env } from '../env';
import { feedLinks, originOf } from '../links';
import { lowerVersion, parseVersion } from '../nuget/version';
import { fail, failureResponse } from '../problems';
import { jsonTextResponse } from '../respond';
import { blobKeys } from '../store/blobs';
import { pageKeys, type PageMetadata } from '../store/pages';

/**
 * GET {base}{lowerId}/index.json (§3.2): from the edge cache, else one KV read (with the ETag in
 * its metadata). KV may lag a push by up to 60 s at other locations (docs/platform.md §3);
 * a listed version is always downloadable, because its blobs were written before the row the
 * list was built from.
 */
export async function versionsIndex(request: IRequest, env: Env, ctx: ExecutionContext): Promise<Response> {
  const lowerId = (request.params.lowerId ?? '').toLowerCase();
  const url = feedLinks(originOf(request)).versionsIndex(lowerId);
  const found = await cachedText(caches.default, url, ctx, async () => {
    const { value, metadata } = await env.PAGES.getWithMetadata<PageMetadata>(pageKeys.versionsIndex(lowerId));
    return value === null ? null : { text: value, tag: metadata?.etag ?? (await contentTag(value)) };
  });
  if (found === null) return failureResponse(fail('notFound', `The package '${lowerId}' has no versions here.`));
  const validators = { etag: entityTag(found.tag), cacheControl: SHORT_LIVED };
  return notModified(request, validators) ?? jsonTextResponse(found.text, { headers: validatorHeaders(validators) });
}

interface FileKind extends BlobFile {
  /** Serving it (from its first byte) is a download (§5.3 `downloads`). */
  isPackage?: boolean;
}

/** Which blob a file name asks for (§3.1, §3.3); the version segment may be non-canonical. */
function fileKind(lowerId: string, segment: string, version: string, file: string): FileKind | null {
  const name = file.toLowerCase();
  if (name === `${lowerId}.${version}.nupkg` || name === `${lowerId}.${segment}.nupkg`) {
    return { key: blobKeys.nupkg(lowerId, version), contentType: 'application/octet-stream', isPackage: true };
  }
  if (name === `${lowerId}.nuspec`) return { key: blobKeys.nuspec(lowerId, version), contentType: 'application/xml' };
  if (name === 'readme') return { key: blobKeys.readme(lowerId, version), contentType: 'text/markdown; charset=utf-8' };
  // An icon keeps the content type the push stored with it (image/png, image/jpeg, §3.3).
  if (name === 'icon') return { key: blobKeys.icon(lowerId, version) };
  return null;
}

/** The file a request names, with its version's identity; null when it names none. */
function requestedFile(request: IRequest): (FileKind & { lowerId: string; lowerVersion: string }) | null {
  // Segments are not percent-decoded: ids and versions are ASCII letters, digits and ".-_+" (§10.1).
  const lowerId = (request.params.lowerId ?? '').toLowerCase();
  const segment = (request.params.version ?? '').toLowerCase();
  const parsed = parseVersion(segment);
  const version = parsed ? lowerVersion(parsed) : null;
  const kind = version ? fileKind(lowerId, segment, version, request.params.file ?? '') : null;
  return kind && version ? { ...kind, lowerId, lowerVersion: version } : null;
}

function missingFile(request: IRequest): Response {
  const { lowerId, version, file } = request.params;
  return failureResponse(fail('notFound', `There is no ${file} for ${lowerId} ${version} here.`));
}

/** GET {base}{lowerId}/{version}/{file}: the exact stored bytes, streamed (pitfall 8); one R2 read. */
export async function packageFile(request: IRequest, env: Env, ctx: ExecutionContext): Promise<Response> {
  const file = requestedFile(request);
  const response = file ? await blobResponse(env.PACKAGES, request, file) : null;
  if (!file || !response) return missingFile(request);
  if (file.isPackage && isDownload(request, response)) {
    ctx.waitUntil(countDownload(env.DOWNLOADS, file.lowerId, file.lowerVersion));
  }
  return response;
}

/** HEAD of the same: R2 head(), so no body is read (src/index.ts routes HEAD here first). */
export async function packageFileHead(request: IRequest, env: Env): Promise<Response> {
  const file = requestedFile(request);
  const response = file ? await blobHeadResponse(env.PACKAGES, request, file) : null;
  return file && response ? response : missingFile(request);
}
