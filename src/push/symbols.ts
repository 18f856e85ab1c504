/**
 * SymbolPackagePublish/4.9.0 (protocol §2.6), one step a line: receive the body exactly like a
 * package push, read its central directory and nuspec (a SymbolsPackage, only symbol file types),
 * authorize the id, check that the package is on the feed, and only then read the PDBs, each only
 * as far as its signature (Portable PDBs only): the work a refused push causes stays within its
 * nuspec and directory. Then store the .snupkg, replacing any earlier one, as nuget.org does (a
 * re-run CI job pushes the same symbols again). No page lists symbols: nothing to refresh.
 */
import { authorizeId } from '../auth/authorize';
import type { Env } from '../env';
import type { KeyGrant } from '../nuget/keyScopes';
import { lowerId } from '../nuget/packageId';
import { checkPortablePdbs, readSymbolPackage } from '../nuget/readPackage';
import { fail, isFailure, type Failure } from '../problems';
import { findVersion } from '../store/packages';
import { receivedRange } from '../store/uploads';
import { putSnupkg } from '../store/versionBlobs';
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
    const notPortable = await checkPortablePdbs(read, pdbs);
    if (notPortable) return notPortable;
    await putSnupkg(env.PACKAGES, upload, { lowerId: lower, lowerVersion });
    return { id, version };
  });
}
