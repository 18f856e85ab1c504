/**
 * SymbolPackagePublish/4.9.0 (protocol §2.6), one step a line: receive the body exactly like a
 * package push, read it (a SymbolsPackage nuspec, only symbol file types, Portable PDBs only),
 * authorize the id, check that the package is on the feed, store the .snupkg once per version,
 * create-only. No page lists symbols, so there is nothing to refresh.
 */
import { authorizeId } from '../auth/authorize';
import type { Env } from '../env';
import type { KeyGrant } from '../nuget/keyScopes';
import { lowerId } from '../nuget/packageId';
import { readSymbolPackage } from '../nuget/readPackage';
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
    const symbols = await readSymbolPackage(receivedRange(env.PACKAGES, upload), upload.size);
    if (isFailure(symbols)) return symbols;
    const { id, version, lowerVersion } = symbols;
    const denied = await authorizeId(env.DB, publisher, 'push-symbols', id);
    if (denied) return denied;
    const lower = lowerId(id);
    if (!(await findVersion(env.DB, lower, lowerVersion))) {
      return fail('notFound', `Package ${id} ${version} was not found: push the .nupkg before its symbols.`);
    }
    if (!(await putSnupkg(env.PACKAGES, upload, { lowerId: lower, lowerVersion }))) {
      return fail('conflict', `Symbols for ${id} ${version} have already been pushed.`);
    }
    return { id, version };
  });
}
