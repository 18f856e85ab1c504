/**
 * SymbolPackagePublish/4.9.0 (protocol §2.6), one step a line: receive the body exactly like a
 * package push, read its central directory and nuspec (a SymbolsPackage, only symbol file types),
 * authorize the id, check that the package is on the feed, and only then read the PDBs: first each
 * one's header (Portable PDBs only), so the work a refused push causes stays within its nuspec,
 * directory and PDB headers; then each whole, stored as a blob for the symbol server. Then store
 * the .snupkg and index its PDBs, replacing any earlier ones, as nuget.org does (a re-run CI job
 * pushes the same symbols again). No page lists symbols: nothing to refresh.
 */
import { authorizeId } from '../auth/authorize';
import type { Env } from '../env';
import type { KeyGrant } from '../nuget/keyScopes';
import { lowerId } from '../nuget/packageId';
import { readSymbolPackage } from '../nuget/readPackage';
import { planPdbs } from '../nuget/symbolFiles';
import { fail, isFailure, type Failure } from '../problems';
import { findVersion } from '../store/packages';
import { receivedRange } from '../store/uploads';
import { replaceSymbolFiles } from '../store/symbols';
import { putSnupkg } from '../store/versionBlobs';
import { storePdbs } from './indexSymbols';
import { withUpload, type UploadLimits } from './upload';

export interface SymbolsStored {
  id: string;
  version: string;
}

export async function publishSymbols(
  env: Pick<Env, 'DB' | 'PACKAGES'>,
  request: Request,
  limits: UploadLimits,
  /** The pushing key; checked before the package's existence, which it may not learn. */
  publisher: KeyGrant,
  now: Date,
): Promise<SymbolsStored | Failure> {
  return withUpload(request, env.PACKAGES, limits, async (upload) => {
    const read = receivedRange(env.PACKAGES, upload);
    const symbols = await readSymbolPackage(read, upload.size);
    if (isFailure(symbols)) return symbols;
    const { id, version, lowerVersion, pdbs } = symbols;
    const denied = await authorizeId(env.DB, publisher, 'push-symbols', id);
    if (denied) return denied;
    const lower = lowerId(id);
    if (!(await findVersion(env.DB, lower, lowerVersion))) {
      return fail('notFound', `Package ${id} ${version} was not found: push the .nupkg before its symbols.`);
    }
    const planned = await planPdbs(read, pdbs, 'snupkg');
    if (isFailure(planned)) return planned;
    const files = await storePdbs(env.PACKAGES, read, planned.pdbs);
    if (isFailure(files)) return files;
    const stored = { lowerId: lower, lowerVersion };
    await putSnupkg(env.PACKAGES, upload, stored);
    await replaceSymbolFiles(env.DB, env.PACKAGES, stored, 'snupkg', files, now);
    return { id, version };
  });
}
