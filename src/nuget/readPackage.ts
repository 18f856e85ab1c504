/**
 * Reads a received package through a ReadRange (ranged R2 gets, docs/platform.md §6, or
 * slices of the bytes held, src/store/uploads.ts): the zip's central directory, the root
 * .nuspec, and the entries it names. Only those entries are ever read, each under its cap,
 * whatever the package's size.
 */
import { fail, isFailure, type Failure } from '../problems';
import { MAX_ICON_BYTES, MAX_NUSPEC_BYTES, MAX_README_BYTES, parseManifest } from './nuspec';
import { findPackageFile, packageEntries, symbolPackagePdbs, type PackageEntries } from './packageEntries';
import type { PackageFiles, PackageManifest } from './types';
import { listZipEntries, readZipEntry, type ReadRange } from './zip';
import type { ZipEntry } from './zipEntry';

export interface PackageContents {
  manifest: PackageManifest;
  files: PackageFiles;
}

/** Icon types nuget.org accepts (protocol §10.3), by file extension. */
const ICON_TYPES: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg' };

/** The zip's entries, their names checked, and its one root .nuspec (protocol §10.3 "Package container"). */
async function readEntries(read: ReadRange, size: number): Promise<PackageEntries | Failure> {
  const entries = await listZipEntries(read, size);
  return isFailure(entries) ? entries : packageEntries(entries);
}

/** A package push (protocol §2.4 step 3): its nuspec and the readme and icon the nuspec names. */
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

/**
 * What reading the PDB headers of one push may inflate in all (src/nuget/symbolFiles.ts): each
 * read stops a deflate step past the header (src/nuget/zipInflate.ts), so real PDBs use a few KiB each.
 */
export const MAX_SYMBOL_INFLATED_BYTES = 8 * 1024 * 1024;

export interface SymbolPackage {
  id: string;
  version: string;
  lowerVersion: string;
  /** Still to be read (src/nuget/symbolFiles.ts), once the key may push the id and the package exists. */
  pdbs: ZipEntry[];
}

/**
 * A symbol package push (protocol §2.6), first half: a SymbolsPackage nuspec and only symbol file
 * types, from the central directory and the nuspec (≤ MAX_NUSPEC_BYTES). No PDB is read yet.
 */
export async function readSymbolPackage(read: ReadRange, size: number): Promise<SymbolPackage | Failure> {
  const pkg = await readEntries(read, size);
  if (isFailure(pkg)) return pkg;
  const nuspec = await readZipEntry(read, pkg.nuspec, MAX_NUSPEC_BYTES);
  if (isFailure(nuspec)) return nuspec;
  const manifest = parseManifest(nuspec, { symbolPackage: true });
  if (isFailure(manifest)) return manifest;
  const pdbs = symbolPackagePdbs(pkg);
  if (isFailure(pdbs)) return pdbs;
  return { id: manifest.id, version: manifest.version, lowerVersion: manifest.lowerVersion, pdbs };
}
