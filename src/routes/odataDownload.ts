/**
 * The V2 download URL, `GET /api/v2/package/{id}/{version}`, which every entry's content/@src
 * names: the flat container's .nupkg (same R2 blob, same ranges, ETag and 304, counted as a
 * download the same way). The id and version are read in any case and form, as flat container
 * paths are. And `GET /api/v2/package`: push's URL, which Register-PSRepository -PublishLocation
 * may probe; it answers 405 with `Allow: PUT`, never 404.
 */
import type { IRequest } from 'itty-router';
import { countDownload, isDownload } from '../downloadCounter';
import type { Env } from '../env';
import { MAX_VERSION_SEGMENT_LENGTH, parsePackageSegments } from '../linkParams';
import { MAX_PACKAGE_ID_LENGTH } from '../nuget/packageId';
import { lowerVersion, parseVersion } from '../nuget/version';
import { fail, failureResponse } from '../problems';
import { blobHeadResponse, blobResponse } from '../store/blobResponse';
import { blobKeys } from '../store/blobs';

/** The .nupkg the URL names, or null when it names none the feed could hold. */
function namedPackage(request: IRequest): { lowerId: string; lowerVersion: string; key: string } | null {
  const named = parsePackageSegments(request.params);
  const version = named?.version ? parseVersion(named.version) : null;
  if (!named || !version || named.id.length > MAX_PACKAGE_ID_LENGTH) return null;
  if ((named.version ?? '').length > MAX_VERSION_SEGMENT_LENGTH) return null;
  const lowerId = named.id.toLowerCase();
  const lower = lowerVersion(version);
  return { lowerId, lowerVersion: lower, key: blobKeys.nupkg(lowerId, lower) };
}

const missing = () => failureResponse(fail('notFound', 'There is no such package version on this feed.'));
const NUPKG = 'application/octet-stream';

export async function v2Download(request: IRequest, env: Env, ctx: ExecutionContext): Promise<Response> {
  const named = namedPackage(request);
  const response = named ? await blobResponse(env.PACKAGES, request, { key: named.key, contentType: NUPKG }) : null;
  if (!named || !response) return missing();
  if (isDownload(request, response)) ctx.waitUntil(countDownload(env.DOWNLOADS, named.lowerId, named.lowerVersion));
  return response;
}

/** HEAD: R2 head(), no body read and no download counted. */
export async function v2DownloadHead(request: IRequest, env: Env): Promise<Response> {
  const named = namedPackage(request);
  const response = named ? await blobHeadResponse(env.PACKAGES, request, { key: named.key, contentType: NUPKG }) : null;
  return response ?? missing();
}

export function publishLocation(): Response {
  const response = failureResponse(
    fail('methodNotAllowed', 'This is the push URL: PUT a package here (dotnet nuget push, Publish-Module).'),
  );
  response.headers.set('Allow', 'PUT');
  return response;
}
