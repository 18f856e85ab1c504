/**
 * PackagePublish push (protocol §2.2-2.4): receive the body (into memory, or into R2 when larger
 * than one part), validate the package read from there, commit it (blob, row, catalog item), then
 * rebuild the id's pages.
 */
import { authorizeId } from '../auth/authorize';
import { purgePackageCache } from '../store/edgeCache';
import type { Env } from '../env';
import { originOf } from '../links';
import { ADMIN_GRANT, type KeyGrant } from '../nuget/keyScopes';
import { lowerId } from '../nuget/packageId';
import type { PackageManifest, PackageVersionRecord } from '../nuget/types';
import { rebuildPages } from '../pages/rebuild';
import { isFailure, type Failure } from '../problems';
import { commitVersion } from './commit';
import { readPackage } from './readPackage';
import { receivedRange } from './received';
import { withUpload, type Upload, type UploadLimits } from './upload';

export interface Published {
  record: PackageVersionRecord;
  /** For X-NuGet-Warning headers: the client prints them even on success (protocol §11.6). */
  warnings: string[];
}

/** The row a push stores: the nuspec's metadata plus what only the server knows. */
export function versionRecord(
  manifest: PackageManifest,
  upload: Pick<Upload, 'size' | 'sha512'>,
  facts: { now: Date; hasReadme: boolean; iconContentType: string },
): PackageVersionRecord {
  const { iconFile: _icon, readmeFile: _readme, licenseFile: _license, ...metadata } = manifest;
  const now = facts.now.toISOString();
  return {
    ...metadata,
    lowerId: lowerId(manifest.id),
    listed: true,
    created: now,
    published: now,
    packageHash: upload.sha512,
    packageSize: upload.size,
    hasReadme: facts.hasReadme,
    iconContentType: facts.iconContentType,
    downloads: 0,
  };
}

/**
 * `now` is the request time: the version's created and published. `publisher` is the pushing key
 * (default the admin key): its scopes are checked once the nuspec has named the id (§2.4 step 1).
 */
export async function publishPackage(
  env: Pick<Env, 'DB' | 'PACKAGES' | 'PAGES'>,
  request: Request,
  options: { now: Date; limits: UploadLimits; publisher?: KeyGrant },
): Promise<Published | Failure> {
  const publisher = options.publisher ?? ADMIN_GRANT;
  return withUpload(request, env.PACKAGES, options.limits, async (upload) => {
    const contents = await readPackage(receivedRange(env.PACKAGES, upload), upload.size);
    if (isFailure(contents)) return contents;
    const record = versionRecord(contents.manifest, upload, {
      now: options.now,
      hasReadme: contents.files.readme !== null,
      iconContentType: contents.files.icon?.contentType ?? '',
    });
    const denied = await authorizeId(env.DB, publisher, 'push', record.id);
    if (denied) return denied;
    const conflict = await commitVersion(env, upload, contents.files, record, options.now, publisher.name);
    if (conflict) return conflict;
    return { record, warnings: await refreshPages(env, record.lowerId, originOf(request)) };
  });
}

const PAGES_BEHIND =
  'The change is saved, but the feed pages are not yet updated; they will catch up within 30 minutes.';

/**
 * KV pages are derived (house rule 4): once the row is committed the push has succeeded, and
 * pages that failed to rebuild, or did not settle under contention, are converged by the
 * scheduled repair pass. With `origin` (the write request's), the pages that changed are then
 * purged from that origin's edge cache in this data centre (src/store/edgeCache.ts).
 */
export async function refreshPages(
  env: Pick<Env, 'DB' | 'PAGES'>,
  lowerIdValue: string,
  origin?: string,
): Promise<string[]> {
  try {
    const { settled, changed } = await rebuildPages(env, lowerIdValue);
    if (origin !== undefined) await purgePackageCache(caches.default, origin, changed);
    if (!settled) console.error('page rebuild did not settle after a committed change', lowerIdValue);
    return settled ? [] : [PAGES_BEHIND];
  } catch (error) {
    console.error('page rebuild failed after a committed change', lowerIdValue, error);
    return [PAGES_BEHIND];
  }
}
