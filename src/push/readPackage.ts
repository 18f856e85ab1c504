/**
 * Reads a received package through a ReadRange (ranged R2 gets, docs/platform.md §6, or
 * slices of the bytes held, received.ts): the zip's central directory, the root .nuspec, and the
 * readme and icon it names. Only those entries are ever read, each under its cap, whatever the
 * package's size.
 */
import { MAX_ICON_BYTES, MAX_NUSPEC_BYTES, MAX_README_BYTES, parseManifest } from '../nuget/nuspec';
import { findPackageFile, packageEntries, type PackageEntries } from '../nuget/packageEntries';
import type { PackageManifest } from '../nuget/types';
import { listZipEntries, readZipEntry, type ReadRange } from '../nuget/zip';
import { fail, isFailure, type Failure } from '../problems';

/** The blobs a version stores beside its .nupkg. */
export interface PackageFiles {
  /** The .nuspec entry's exact bytes. */
  nuspec: Uint8Array;
  readme: Uint8Array | null;
  icon: { bytes: Uint8Array; contentType: string } | null;
}

export interface PackageContents {
  manifest: PackageManifest;
  files: PackageFiles;
}

/** Icon types nuget.org accepts (protocol §10.3), by file extension. */
const ICON_TYPES: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg' };

/** A ReadRange over one R2 object. */
export function r2Range(bucket: R2Bucket, key: string): ReadRange {
  return async (offset, length) => {
    const object = await bucket.get(key, { range: { offset, length } });
    if (!object) throw new Error(`R2 object ${key} disappeared while it was being read`);
    return new Uint8Array(await object.arrayBuffer());
  };
}

/** The zip's entries, their names checked, and its one root .nuspec (protocol §10.3 "Package container"). */
export async function readEntries(read: ReadRange, size: number): Promise<PackageEntries | Failure> {
  const entries = await listZipEntries(read, size);
  return isFailure(entries) ? entries : packageEntries(entries);
}

export async function readPackage(read: ReadRange, size: number): Promise<PackageContents | Failure> {
  const pkg = await readEntries(read, size);
  if (isFailure(pkg)) return pkg;
  const nuspec = await readZipEntry(read, pkg.nuspec, MAX_NUSPEC_BYTES);
  if (isFailure(nuspec)) return nuspec;
  const manifest = parseManifest(nuspec);
  if (isFailure(manifest)) return manifest;

  let readme: Uint8Array | null = null;
  if (manifest.readmeFile) {
    const bytes = await readNamedFile(read, pkg, manifest.readmeFile, 'readme', MAX_README_BYTES);
    if (isFailure(bytes)) return bytes;
    readme = bytes;
  }
  let icon: PackageFiles['icon'] = null;
  if (manifest.iconFile) {
    const extension = manifest.iconFile.slice(manifest.iconFile.lastIndexOf('.') + 1).toLowerCase();
    const contentType = ICON_TYPES[extension];
    if (!contentType) {
      return fail('badRequest', `The icon file '${manifest.iconFile}' must be a .png, .jpg or .jpeg file.`);
    }
    const bytes = await readNamedFile(read, pkg, manifest.iconFile, 'icon', MAX_ICON_BYTES);
    if (isFailure(bytes)) return bytes;
    icon = { bytes, contentType };
  }
  // The license file is not stored apart, but nuget.org refuses a nuspec naming one that is absent (§10.3).
  if (manifest.licenseFile && !findPackageFile(pkg, manifest.licenseFile))
    return missingFile('license', manifest.licenseFile);
  return { manifest, files: { nuspec, readme, icon } };
}

async function readNamedFile(
  read: ReadRange,
  pkg: PackageEntries,
  path: string,
  role: string,
  maxBytes: number,
): Promise<Uint8Array | Failure> {
  const entry = findPackageFile(pkg, path);
  if (!entry) return missingFile(role, path);
  if (!(entry.uncompressedSize <= maxBytes)) {
    return fail(
      'badRequest',
      `The ${role} file '${path}' is ${entry.uncompressedSize} bytes; at most ${maxBytes} are allowed.`,
    );
  }
  return readZipEntry(read, entry, maxBytes);
}

function missingFile(role: string, path: string): Failure {
  return fail('badRequest', `The nuspec names the ${role} file '${path}', but the package does not contain it.`);
}
