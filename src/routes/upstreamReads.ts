/**
 * The restore path's fall-through to the pull-through upstream (src/upstreamCache.ts), for the
 * flat container and registration routes. They call it only after the local read missed, so a
 * local id costs nothing more; each helper answers null when the id is not the upstream's to
 * serve (no upstream configured, a reserved id, an id with local history, or one the upstream
 * does not have either), and the route answers its own 404.
 */
import type { Env } from '../env';
import type { HiveLevel, PackageFile } from '../links';
import { type Failure, failureResponse, isFailure } from '../problems';
import { blobResponse } from '../store/blobResponse';
import type { TaggedText } from '../store/documents';
import { upstreamBlobKeys } from '../store/upstreamBlobs';
import { type Answer, type RegistrationDocument, upstreamCacheOf } from '../upstreamCache';

function textOf(answer: Answer): TaggedText | Failure | null {
  if ('text' in answer) return { text: answer.text, tag: answer.tag };
  return isFailure(answer) ? answer : null;
}

/** The upstream's version list of the id (protocol §3.2). */
export async function upstreamVersionsIndex(env: Env, lowerId: string): Promise<TaggedText | Failure | null> {
  const found = upstreamCacheOf(env, lowerId);
  if (found === null || isFailure(found)) return found;
  return textOf(await found.cache.versionsIndex(lowerId));
}

/** A registration index, page or leaf of the upstream's, stored against STORED_ORIGIN (the route binds it). */
export async function upstreamRegistration(
  env: Env,
  lowerId: string,
  level: HiveLevel,
  wanted: RegistrationDocument,
): Promise<TaggedText | Failure | null> {
  const found = upstreamCacheOf(env, lowerId);
  if (found === null || isFailure(found)) return found;
  return textOf(await found.cache.registration(lowerId, level, wanted));
}

/**
 * A package file of the upstream's: from R2 once cached (ranges, ETag and 304 as for local files),
 * else the first download, streamed while it is stored.
 */
export async function upstreamPackageFile(
  env: Env,
  request: Request,
  named: { lowerId: string; lowerVersion: string; file: PackageFile; contentType?: string },
): Promise<Response | null> {
  const { lowerId, lowerVersion, file, contentType } = named;
  const found = upstreamCacheOf(env, lowerId);
  if (found === null) return null;
  if (isFailure(found)) return failureResponse(found);
  const blob = { key: upstreamBlobKeys.file(lowerId, lowerVersion, file), contentType };
  const cached = await blobResponse(env.PACKAGES, request, blob);
  if (cached) return cached;
  const answer = await found.cache.packageFile(lowerId, lowerVersion, file, contentType ?? '');
  if (answer === 'stored') return blobResponse(env.PACKAGES, request, blob);
  if (answer instanceof Response) return answer;
  return isFailure(answer) ? failureResponse(answer) : null;
}
