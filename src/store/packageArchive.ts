/**
 * Reads a stored .nupkg's entry list from R2, for the catalog leaf's packageEntries (protocol
 * §7.3): the zip's central directory only, by ranged gets (docs/platform.md §6), never the
 * entries' bytes. The work is bounded by the push's own limits: the directory passed
 * listZipEntries' caps when the package was pushed (16 MiB, 65,534 entries), and the blob is
 * immutable. Two R2 reads: the tail (end of central directory), then the directory.
 */
import { listZipEntries } from '../nuget/zip';
import type { ZipEntry } from '../nuget/zipEntry';
import { isFailure } from '../problems';
import { blobKeys } from './blobs';

/** The entries of the version's .nupkg; null when the blob is missing or no longer reads as a zip. */
export async function nupkgEntries(
  bucket: R2Bucket,
  version: { lowerId: string; lowerVersion: string; packageSize: number },
): Promise<ZipEntry[] | null> {
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
  const entries = await listZipEntries(read, version.packageSize);
  return missing || isFailure(entries) ? null : entries;
}
