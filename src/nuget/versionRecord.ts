/**
 * The package_versions record of a change: a push's new version, built from its nuspec, and an
 * unlist or relist of a stored one. Callers pass the time in.
 */
import { lowerId } from './packageId';
import type { PackageFiles, PackageManifest, PackageVersionRecord } from './types';

/** The received package's facts that only the server knows. */
export interface ReceivedPackage {
  size: number;
  /** Base64 SHA-512 of the exact bytes: the catalog and registration packageHash. */
  sha512: string;
}

/** The row a push stores: the nuspec's metadata plus what only the server knows; created and published at `now`. */
export function versionRecord(
  contents: { manifest: PackageManifest; files: PackageFiles },
  received: ReceivedPackage,
  now: Date,
): PackageVersionRecord {
  const { iconFile: _icon, readmeFile: _readme, licenseFile: _license, ...metadata } = contents.manifest;
  const at = now.toISOString();
  return {
    ...metadata,
    lowerId: lowerId(metadata.id),
    listed: true,
    created: at,
    published: at,
    lastEdited: '',
    packageHash: received.sha512,
    packageSize: received.size,
    hasReadme: contents.files.readme !== null,
    iconContentType: contents.files.icon?.contentType ?? '',
    downloads: 0,
    deprecation: null,
  };
}

/**
 * `stored` unlisted or relisted at `now`: relisting an unlisted version moves published to now
 * (protocol §2.5), and either change is an edit of the version (lastEdited, §7.3).
 */
export function listingRecord(stored: PackageVersionRecord, listed: boolean, now: Date): PackageVersionRecord {
  if (listed === stored.listed) return stored;
  const at = now.toISOString();
  return { ...stored, listed, published: listed ? at : stored.published, lastEdited: at };
}
