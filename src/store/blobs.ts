/**
 * The one author of R2 keys. R2 holds immutable blobs only: a version's files are written once,
 * before the D1 row that makes them visible (blob → row → pages), and never rewritten.
 */

function versionFolder(lowerId: string, lowerVersion: string): string {
  return `packages/${lowerId}/${lowerVersion}/`;
}

export const blobKeys = {
  nupkg: (lowerId: string, lowerVersion: string) =>
    `${versionFolder(lowerId, lowerVersion)}${lowerId}.${lowerVersion}.nupkg`,
  nuspec: (lowerId: string, lowerVersion: string) => `${versionFolder(lowerId, lowerVersion)}${lowerId}.nuspec`,
  readme: (lowerId: string, lowerVersion: string) => `${versionFolder(lowerId, lowerVersion)}readme`,
  icon: (lowerId: string, lowerVersion: string) => `${versionFolder(lowerId, lowerVersion)}icon`,
  snupkg: (lowerId: string, lowerVersion: string) =>
    `${versionFolder(lowerId, lowerVersion)}${lowerId}.${lowerVersion}.snupkg`,
  /** Every blob of one version (for cleanup of a push that did not commit). */
  versionPrefix: versionFolder,
  /** A push body in flight, before its id and version are known from the nuspec inside it. */
  upload: (uploadId: string) => `uploads/${uploadId}`,
  uploadsPrefix: 'uploads/',
  packagesPrefix: 'packages/',
} as const;

/** The version whose folder holds a key under packagesPrefix; null for any other key. */
export function blobVersionOf(key: string): { lowerId: string; lowerVersion: string } | null {
  if (!key.startsWith(blobKeys.packagesPrefix)) return null;
  const [lowerId, lowerVersion, file] = key.slice(blobKeys.packagesPrefix.length).split('/');
  return lowerId && lowerVersion && file ? { lowerId, lowerVersion } : null;
}
