/**
 * The flat container (protocol §3): the version list from KV, package files straight from R2.
 * Ids and versions are lowercased and normalized whatever their form (§3.1 allows the leniency);
 * every URL the feed emits is already canonical.
 */
import type { IRequest } from 'itty-router';
import { entityTag, notModified, SHORT_LIVED, validatorHeaders } from '../cachePolicy';
import { countDownload, isDownload } from '../downloadCounter';
import type { Env } from '../env';
import { parsePackageFile, parseVersionsIndex } from '../linkParams';
import { feedLinks, originOf, type PackageFile } from '../links';
import { fail, failureResponse, isFailure } from '../problems';
import { jsonTextResponse, withoutBody } from '../respond';
import { type BlobFile, blobHeadResponse, blobResponse } from '../store/blobResponse';
import { blobKeys } from '../store/blobs';
import { cachedText } from '../store/edgeCache';
import { documentKeys, readDocument } from '../store/documents';
import { upstreamPackageFile, upstreamVersionsIndex } from './upstreamReads';

/**
 * GET {base}{lowerId}/index.json (§3.2): from the edge cache, else one KV read (with the ETag in
 * its metadata). KV may lag a push by up to 60 s at other locations (docs/platform.md §3);
 * a listed version is always downloadable, because its blobs were written before the row the
 * list was built from.
 */
export async function versionsIndex(
  request: IRequest,
  env: Env,
  ctx: ExecutionContext,
  cache: Cache,
): Promise<Response> {
  const named = parseVersionsIndex(request.params);
  if (named === null) return failureResponse(fail('notFound', 'No package with so long an id is on this feed.'));
  const { lowerId } = named;
  const url = feedLinks(originOf(request)).versionsIndex(lowerId);
  const local = await cachedText(cache, url, ctx, () => readDocument(env.PAGES, documentKeys.versionsIndex(lowerId)));
  // Only an id with no local list may be the upstream's (src/routes/upstreamReads.ts).
  const found = local ?? (await upstreamVersionsIndex(env, lowerId));
  if (isFailure(found)) return failureResponse(found);
  if (found === null) return failureResponse(fail('notFound', `The package '${lowerId}' has no versions here.`));
  const validators = { etag: entityTag(found.tag), cacheControl: SHORT_LIVED };
  return notModified(request, validators) ?? jsonTextResponse(found.text, { headers: validatorHeaders(validators) });
}

/**
 * How each file is served (§3.3); serving the .nupkg (from its first byte) is a download (§5.3
 * `downloads`). An icon keeps the content type the push stored with it (image/png, image/jpeg).
 */
const served: Record<PackageFile, Omit<BlobFile, 'key'> & { isPackage?: boolean }> = {
  nupkg: { contentType: 'application/octet-stream', isPackage: true },
  nuspec: { contentType: 'application/xml' },
  readme: { contentType: 'text/markdown; charset=utf-8' },
  icon: {},
  snupkg: { contentType: 'application/octet-stream' },
};

/** The blob a request names, with its version's identity; null when it names none. */
function requestedFile(request: IRequest) {
  const named = parsePackageFile(request.params);
  if (named === null) return null;
  const { lowerId, lowerVersion, file } = named;
  return { ...served[file], key: blobKeys[file](lowerId, lowerVersion), lowerId, lowerVersion, file };
}

/** The message repeats the request's segments, cut short: a URL may be kilobytes long. */
function missingFile(request: IRequest): Response {
  const [lowerId, version, file] = [request.params.lowerId, request.params.version, request.params.file].map((s) =>
    (s ?? '').slice(0, 140),
  );
  return failureResponse(fail('notFound', `There is no ${file} for ${lowerId} ${version} here.`));
}

/** GET {base}{lowerId}/{version}/{file}: the exact stored bytes, streamed (pitfall 8); one R2 read. */
export async function packageFile(request: IRequest, env: Env, ctx: ExecutionContext): Promise<Response> {
  const file = requestedFile(request);
  const response = file ? await blobResponse(env.PACKAGES, request, file) : null;
  // Only a file with no local blob may be the upstream's (src/routes/upstreamReads.ts).
  if (file && !response) return (await upstreamPackageFile(env, request, file)) ?? missingFile(request);
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
  if (file && !response) {
    // An upstream file is fetched (and stored) by the GET, so HEAD answers what it would.
    const upstream = await upstreamPackageFile(env, request, file);
    return upstream ? withoutBody(upstream) : missingFile(request);
  }
  return file && response ? response : missingFile(request);
}
