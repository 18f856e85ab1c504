/**
 * The R2 writes of a push (src/push/commit.ts, symbols.ts): the create-only claim of a version's
 * .nupkg, the files served beside it, their removal when the push does not commit, and the .snupkg. Blobs come before the
 * row that makes them visible (blob → row → pages).
 */
import type { PackageFiles } from '../nuget/types';
import { blobKeys } from './blobs';
import { storeReceived, type Received } from './uploads';

interface VersionRef {
  lowerId: string;
  lowerVersion: string;
}

/** Custom metadata naming the upload key of the push that stored a nupkg: tells a push its own blob from a rival's. */
const PUSHED_BY = 'pushedBy';

/** Puts the received package as the version's nupkg, tagged with its upload key; false when `onlyIf` fails. */
export function putNupkg(
  bucket: R2Bucket,
  received: Received,
  version: VersionRef,
  onlyIf: R2Conditional,
): Promise<boolean> {
  return storeReceived(bucket, received, blobKeys.nupkg(version.lowerId, version.lowerVersion), {
    onlyIf,
    httpMetadata: { contentType: 'application/octet-stream' },
    customMetadata: { [PUSHED_BY]: received.key },
  });
}

/**
 * Stores a version's symbol package (protocol §2.6), replacing one pushed before, as nuget.org
 * does. An R2 put is atomic: until it completes, readers get the earlier .snupkg whole, and after
 * it the new one, so there is no moment without symbols nor one with a partial file.
 */
export async function putSnupkg(bucket: R2Bucket, received: Received, version: VersionRef): Promise<void> {
  await storeReceived(bucket, received, blobKeys.snupkg(version.lowerId, version.lowerVersion), {
    httpMetadata: { contentType: 'application/octet-stream' },
  });
}

export function headNupkg(bucket: R2Bucket, version: VersionRef): Promise<R2Object | null> {
  return bucket.head(blobKeys.nupkg(version.lowerId, version.lowerVersion));
}

/** Whether the push that wrote `nupkg` has ended (its upload is gone); false for blobs without the tag. */
export async function writerFinished(bucket: R2Bucket, nupkg: R2Object): Promise<boolean> {
  const writer = nupkg.customMetadata?.[PUSHED_BY];
  return writer !== undefined && (await bucket.head(writer)) === null;
}

/** Removes the version's nupkg if the push with this upload key wrote it. */
export async function deleteOwnNupkg(bucket: R2Bucket, version: VersionRef, uploadKey: string): Promise<void> {
  const key = blobKeys.nupkg(version.lowerId, version.lowerVersion);
  const stored = await bucket.head(key);
  if (stored?.customMetadata?.[PUSHED_BY] === uploadKey) await bucket.delete(key);
}

/**
 * The nuspec as its exact bytes from the package, and the embedded readme and icon. `replacing`:
 * the nupkg replaced an orphan, whose readme or icon must not outlive it.
 */
export async function putVersionFiles(
  bucket: R2Bucket,
  files: PackageFiles,
  { lowerId, lowerVersion }: VersionRef,
  replacing: boolean,
): Promise<void> {
  const readme = blobKeys.readme(lowerId, lowerVersion);
  const icon = blobKeys.icon(lowerId, lowerVersion);
  const writes: Promise<unknown>[] = [
    bucket.put(blobKeys.nuspec(lowerId, lowerVersion), files.nuspec, {
      httpMetadata: { contentType: 'application/xml' },
    }),
  ];
  if (files.readme) {
    writes.push(bucket.put(readme, files.readme, { httpMetadata: { contentType: 'text/markdown; charset=utf-8' } }));
  }
  if (files.icon) {
    writes.push(bucket.put(icon, files.icon.bytes, { httpMetadata: { contentType: files.icon.contentType } }));
  }
  const stale = [files.readme ? null : readme, files.icon ? null : icon].filter((k): k is string => k !== null);
  if (replacing && stale.length > 0) writes.push(bucket.delete(stale));
  // Settled, not all: a failure's cleanup must not run while a sibling put is still in flight,
  // or that put would land after it, a blob no row owns.
  const failed = (await Promise.allSettled(writes)).find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
}

/** Every blob a push writes for the version (not the .snupkg, which has its own push). */
export async function deleteVersionBlobs(bucket: R2Bucket, { lowerId, lowerVersion }: VersionRef): Promise<void> {
  await bucket.delete([
    blobKeys.nupkg(lowerId, lowerVersion),
    blobKeys.nuspec(lowerId, lowerVersion),
    blobKeys.readme(lowerId, lowerVersion),
    blobKeys.icon(lowerId, lowerVersion),
  ]);
}

/** Every blob of a hard-deleted version, its .snupkg too; its PDBs, shared by content, are the repair pass's. */
export async function deleteDeletedVersionBlobs(bucket: R2Bucket, versions: readonly VersionRef[]): Promise<void> {
  const keys = versions.flatMap(({ lowerId, lowerVersion }) =>
    (['nupkg', 'nuspec', 'readme', 'icon', 'snupkg'] as const).map((file) => blobKeys[file](lowerId, lowerVersion)),
  );
  // R2 deletes at most 1,000 keys per call.
  for (let start = 0; start < keys.length; start += 1000) await bucket.delete(keys.slice(start, start + 1000));
}
