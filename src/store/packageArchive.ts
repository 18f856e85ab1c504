/**
 * Reads a stored .nupkg's entry list from R2, for the catalog leaf's packageEntries (protocol
 * §7.3): the zip's central directory only, by ranged gets (docs/platform.md §6), never the
 * entries' bytes. The work is bounded by the push's own limits: the directory passed
 * listZipEntries' caps when the package was pushed (16 MiB, 65,534 entries), and the blob is
 * immutable. Two R2 reads: the tail (end of central directory), then the directory.
 */
import { listZipEntries, type ReadRange } from '../nuget/zip';
import type { ZipEntry } from '../nuget/zipEntry';
import { isFailure } from '../problems';
import { blobKeys } from './blobs';

interface StoredNupkg {
  lowerId: string;
  lowerVersion: string;
  packageSize: number;
}

/**
 * Ranged reads of the version's stored .nupkg. A missing blob reads as empty (the zip reader then
 * fails its length checks), and `missing()` says so afterwards.
 */
export function nupkgReader(bucket: R2Bucket, version: StoredNupkg): { read: ReadRange; missing: () => boolean } {
  const key = blobKeys.nupkg(version.lowerId, version.lowerVersion);
  let missing = false;
  const read = async (offset: number, length: number): Promise<Uint8Array> => {
    const object = missing ? null : await bucket.get(key, { range: { offset, length } });
    if (!object) {
      missing = true;
      return new Uint8Array(0);
    }
    return new Uint8Array(await object.arrayBuffer());
  };
  return { read, missing: () => missing };
}

/** The entries of the version's .nupkg; null when the blob is missing or no longer reads as a zip. */
export async function nupkgEntries(bucket: R2Bucket, version: StoredNupkg): Promise<ZipEntry[] | null> {
  const nupkg = nupkgReader(bucket, version);
  const entries = await listZipEntries(nupkg.read, version.packageSize);
  return nupkg.missing() || isFailure(entries) ? null : entries;
}
