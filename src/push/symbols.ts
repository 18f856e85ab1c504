/**
 * SymbolPackagePublish/4.9.0 (protocol §2.6): a .snupkg arrives exactly like a package push and
 * is checked structurally: a SymbolsPackage nuspec, only symbol file types, Portable PDBs only,
 * and a matching package already on the feed. It is stored once per version, create-only.
 */
import { authorizeId } from '../auth/authorize';
import type { Env } from '../env';
import { ADMIN_GRANT, type KeyGrant } from '../nuget/keyScopes';
import { parseManifest, MAX_NUSPEC_BYTES } from '../nuget/nuspec';
import { isPortablePdb, notPortablePdb, symbolPackagePdbs } from '../nuget/packageEntries';
import { lowerId } from '../nuget/packageId';
import { readZipEntry, type ReadRange } from '../nuget/zip';
import { fail, isFailure, type Failure } from '../problems';
import { blobKeys } from '../store/blobs';
import { findVersion } from '../store/packages';
import { readEntries } from './readPackage';
import { receivedRange, storeReceived } from './received';
import { withUpload, type UploadLimits } from './upload';

/**
 * A .pdb entry is read whole to see its first four bytes (zip entries inflate from the start).
 * Portable PDBs are small; this bounds the one that is in memory at a time.
 */
export const MAX_PDB_BYTES = 32 * 1024 * 1024;

export interface SymbolsStored {
  id: string;
  version: string;
}

export async function publishSymbols(
  env: Pick<Env, 'DB' | 'PACKAGES'>,
  request: Request,
  limits: UploadLimits,
  /** The pushing key (default the admin key); checked before the package's existence, which it may not learn. */
  publisher: KeyGrant = ADMIN_GRANT,
): Promise<SymbolsStored | Failure> {
  return withUpload(request, env.PACKAGES, limits, async (upload) => {
    const symbols = await readSymbolPackage(receivedRange(env.PACKAGES, upload), upload.size);
    if (isFailure(symbols)) return symbols;
    const { id, version, lowerVersion } = symbols;
    const denied = await authorizeId(env.DB, publisher, 'push-symbols', id);
    if (denied) return denied;
    const lower = lowerId(id);
    if (!(await findVersion(env.DB, lower, lowerVersion))) {
      return fail('notFound', `Package ${id} ${version} was not found: push the .nupkg before its symbols.`);
    }
    const stored = await storeReceived(env.PACKAGES, upload, blobKeys.snupkg(lower, lowerVersion), {
      onlyIf: { etagDoesNotMatch: '*' },
      httpMetadata: { contentType: 'application/octet-stream' },
    });
    if (!stored) return fail('conflict', `Symbols for ${id} ${version} have already been pushed.`);
    return { id, version };
  });
}

async function readSymbolPackage(
  read: ReadRange,
  size: number,
): Promise<{ id: string; version: string; lowerVersion: string } | Failure> {
  const pkg = await readEntries(read, size);
  if (isFailure(pkg)) return pkg;
  const nuspec = await readZipEntry(read, pkg.nuspec, MAX_NUSPEC_BYTES);
  if (isFailure(nuspec)) return nuspec;
  const manifest = parseManifest(nuspec, { symbolPackage: true });
  if (isFailure(manifest)) return manifest;
  const pdbs = symbolPackagePdbs(pkg);
  if (isFailure(pdbs)) return pdbs;
  for (const pdb of pdbs) {
    const bytes = await readZipEntry(read, pdb, MAX_PDB_BYTES);
    if (isFailure(bytes)) return bytes;
    if (!isPortablePdb(bytes)) return notPortablePdb(pdb);
  }
  return { id: manifest.id, version: manifest.version, lowerVersion: manifest.lowerVersion };
}
