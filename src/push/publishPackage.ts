/**
 * PackagePublish push (protocol §2.2-2.4), one step a line: receive the body (into memory, or
 * into R2 when larger than one part), read and validate the package, authorize the id it names,
 * commit it (blob, row, catalog item), then refresh the id's documents while indexing the PDBs it
 * carries for the symbol server.
 */
import { authorizeId } from '../auth/authorize';
import type { Env } from '../env';
import { originOf } from '../links';
import type { KeyGrant } from '../nuget/keyScopes';
import { readPackage } from '../nuget/readPackage';
import type { PackageVersionRecord } from '../nuget/types';
import { versionRecord } from '../nuget/versionRecord';
import { refreshDocuments } from '../documents/refresh';
import { isFailure, type Failure } from '../problems';
import { receivedRange } from '../store/uploads';
import { commitVersion } from './commit';
import { indexPackageSymbols } from './indexSymbols';
import { withUpload, type UploadLimits } from './upload';

export interface Published {
  record: PackageVersionRecord;
  /** For X-NuGet-Warning headers: the client prints them even on success (protocol §11.6). */
  warnings: string[];
}

/**
 * `now` is the request time: the version's created and published. `publisher` is the pushing key,
 * authenticated before the body is read; its scopes are checked once the nuspec has named the id
 * (§2.4 step 1).
 */
export async function publishPackage(
  env: Pick<Env, 'DB' | 'PACKAGES' | 'PAGES'>,
  cache: Cache,
  request: Request,
  options: { now: Date; limits: UploadLimits; publisher: KeyGrant },
): Promise<Published | Failure> {
  const { now, limits, publisher } = options;
  return withUpload(request, env.PACKAGES, limits, async (upload) => {
    const contents = await readPackage(receivedRange(env.PACKAGES, upload), upload.size);
    if (isFailure(contents)) return contents;
    const record = versionRecord(contents, upload, now);
    const denied = await authorizeId(env.DB, publisher, 'push', record.id);
    if (denied) return denied;
    await upload.marked;
    const committed = await commitVersion(env, upload, contents.files, record, now, publisher.name);
    if (isFailure(committed)) return committed;
    // Independent once the version is committed: the documents come from D1, the symbols from the package.
    const [refreshed, indexed] = await Promise.all([
      refreshDocuments(env, cache, record.lowerId, originOf(request), committed.generation),
      indexPackageSymbols(env, receivedRange(env.PACKAGES, upload), upload.size, record, now),
    ]);
    return { record, warnings: [...refreshed, ...indexed] };
  });
}
