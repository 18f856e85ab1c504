/**
 * The one author of R2 keys, and of how long a blob no D1 row owns may stay. R2 holds immutable
 * blobs only: a version's files are written once, before the D1 row that makes them visible
 * (blob → row → pages), and never rewritten.
 */

function versionFolder(lowerId: string, lowerVersion: string): string {
  return `packages/${lowerId}/${lowerVersion}/`;
}

const SYMBOLS = 'symbols/';

export const blobKeys = {
  nupkg: (lowerId: string, lowerVersion: string) =>
    `${versionFolder(lowerId, lowerVersion)}${lowerId}.${lowerVersion}.nupkg`,
  nuspec: (lowerId: string, lowerVersion: string) => `${versionFolder(lowerId, lowerVersion)}${lowerId}.nuspec`,
  readme: (lowerId: string, lowerVersion: string) => `${versionFolder(lowerId, lowerVersion)}readme`,
  icon: (lowerId: string, lowerVersion: string) => `${versionFolder(lowerId, lowerVersion)}icon`,
  snupkg: (lowerId: string, lowerVersion: string) =>
    `${versionFolder(lowerId, lowerVersion)}${lowerId}.${lowerVersion}.snupkg`,
  /**
   * A PDB the symbol server serves, by its content: its id (GUID and stamp) and its checksum (the
   * hash of the rest), so identical PDBs pushed in several packages are stored once.
   */
  symbol: (guid: string, stamp: string, checksum: string) => `${SYMBOLS}${guid}${stamp}/${checksum}`,
  symbolsPrefix: SYMBOLS,
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

/**
 * A nupkg without a D1 row is a push in progress (between its blob and its row: a put or copy
 * and one batch, seconds) or the leftover of a push that failed there. A push keeps its upload
 * key until it has committed or given up (src/push/upload.ts), so a leftover whose upload is gone
 * is known at once; one whose Worker died with its upload still stored is taken for a leftover,
 * which a new push of that version may replace, once it is this old.
 */
export const STALE_CLAIM_AGE_MS = 15 * 60 * 1000;

/**
 * The scheduled repair pass deletes uploads and version blobs that no D1 row owns once they are
 * this old: a younger one may belong to a push still in flight.
 */
export const UNOWNED_BLOB_AGE_MS = 60 * 60 * 1000;

/** Visits every object under `prefix`, a listing page (at most 1,000, R2's delete limit) at a time. */
export async function forEachBlobListing(
  bucket: R2Bucket,
  prefix: string,
  visit: (objects: R2Object[]) => Promise<void>,
  /** Listed with each object's custom metadata (uploads/ markers name their multipart upload there). */
  include: R2ListOptions['include'] = [],
): Promise<void> {
  let cursor: string | undefined;
  do {
    const listing = await bucket.list({ prefix, cursor, limit: 1000, include });
    await visit(listing.objects);
    cursor = listing.truncated ? listing.cursor : undefined;
  } while (cursor);
}

/** At most 1,000 keys (one listing page). */
export async function deleteBlobs(bucket: R2Bucket, keys: string[]): Promise<void> {
  if (keys.length > 0) await bucket.delete(keys);
}
