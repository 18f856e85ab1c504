/**
 * The texts of a version the gallery's package page shows: its README and .nuspec (blobs the
 * push stored beside the .nupkg, blobs.ts; each at most 1 MiB) and a license file, which is not
 * stored apart and is read from the .nupkg's zip by ranged gets (packageArchive.ts lists the
 * directory; one more get reads the entry). Absent or unreadable ⇒ null: the page shows less.
 */
import { findPackageFile, packageEntries } from '../nuget/packageEntries';
import { readZipEntry } from '../nuget/zip';
import { isFailure } from '../problems';
import { blobKeys } from './blobs';
import { nupkgEntries, nupkgReader } from './packageArchive';

interface StoredVersion {
  lowerId: string;
  lowerVersion: string;
  packageSize: number;
}

export async function readmeText(bucket: R2Bucket, v: StoredVersion): Promise<string | null> {
  const blob = await bucket.get(blobKeys.readme(v.lowerId, v.lowerVersion));
  return blob ? blob.text() : null;
}

export async function nuspecBytes(bucket: R2Bucket, v: StoredVersion): Promise<Uint8Array | null> {
  const blob = await bucket.get(blobKeys.nuspec(v.lowerId, v.lowerVersion));
  return blob ? new Uint8Array(await blob.arrayBuffer()) : null;
}

/** The package file at a nuspec path (`<license type="file">`) as UTF-8 text, when it is at most `maxBytes`. */
export async function packageFileText(
  bucket: R2Bucket,
  v: StoredVersion,
  path: string,
  maxBytes: number,
): Promise<string | null> {
  const listed = await nupkgEntries(bucket, v);
  const pkg = listed === null ? null : packageEntries(listed);
  const entry = pkg === null || isFailure(pkg) ? null : findPackageFile(pkg, path);
  if (entry === null) return null;
  const nupkg = nupkgReader(bucket, v);
  const bytes = await readZipEntry(nupkg.read, entry, maxBytes);
  return isFailure(bytes) || nupkg.missing() ? null : new TextDecoder().decode(bytes);
}
