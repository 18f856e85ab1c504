/**
 * Commits a validated push: blobs first, then the D1 row, the one write that makes the version
 * exist (house rule 4). A push answers 201 only once both are durable; a 5xx makes the client
 * upload again (protocol §2.3), so a push that fails part-way removes what it wrote, or the retry
 * would meet its own leftovers as a 409 (pitfall 11).
 */
import type { Env } from '../env';
import type { PackageVersionRecord } from '../nuget/types';
import { fail, type Failure } from '../problems';
import { blobKeys } from '../store/blobs';
import { catalogItemStatement } from '../store/catalog';
import { findVersion, insertVersionStatements } from '../store/packages';
import type { PackageFiles } from './readPackage';
import { storeReceived, type Received } from './received';

/**
 * A nupkg key holding no D1 row is either a push in progress (between its blob and its row: a put
 * or copy and one batch, seconds) or the leftover of a push that failed there. A push keeps its
 * upload key (the package, or the marker of one held in memory) until it has committed or given
 * up (withUpload), so a leftover whose writing upload is gone is known at once (writerFinished);
 * one whose Worker died with its upload still stored is taken for a leftover past this age.
 * Either may be replaced.
 */
export const ORPHAN_AGE_MS = 15 * 60 * 1000;

type Claim = 'created' | 'replacedOrphan';

export function duplicate(record: Pick<PackageVersionRecord, 'id' | 'version'>): Failure {
  return fail('conflict', `Package ${record.id} ${record.version} already exists. Use --skip-duplicate to ignore.`);
}

export async function commitVersion(
  env: Pick<Env, 'DB' | 'PACKAGES'>,
  /** The received package; a key alone means the package is stored under it. */
  received: Received | string,
  files: PackageFiles,
  record: PackageVersionRecord,
  now: Date,
  /** The pushing key's name, recorded as owner if this push creates the id; null for the admin key. */
  owner: string | null = null,
): Promise<Failure | null> {
  const { DB: db, PACKAGES: bucket } = env;
  const upload = typeof received === 'string' ? { key: received, bytes: null } : received;
  // (a) The cheap, common case: D1 already has the version (protocol §2.4 step 4).
  if (await findVersion(db, record.lowerId, record.lowerVersion)) return duplicate(record);

  // (b) Create-only put of the nupkg: of concurrent pushes of one version exactly one gets past here.
  let claim: Claim | null;
  try {
    claim = await claimNupkg(env, upload, record, now);
  } catch (error) {
    await dropOwnClaim(bucket, record, upload.key);
    throw error;
  }
  if (claim === null) {
    // The holder may have committed since (a); then this is a plain duplicate.
    if (await findVersion(db, record.lowerId, record.lowerVersion)) return duplicate(record);
    return fail('conflict', `Package ${record.id} ${record.version} is being pushed by another request.`);
  }
  try {
    // (c) The files the flat container serves beside the nupkg (protocol §3.1, §8.2).
    await putVersionFiles(bucket, files, record, claim);
    // (d) One atomic batch: the row (its primary key is the duplicate check of last resort) and its catalog item.
    await db.batch([
      ...insertVersionStatements(db, record, owner),
      catalogItemStatement(db, {
        itemType: 'PackageDetails',
        record,
        commitId: crypto.randomUUID(),
        nowUs: now.getTime() * 1000,
      }),
    ]);
    return null;
  } catch (error) {
    const stored = await findVersion(db, record.lowerId, record.lowerVersion);
    // The batch may have committed and only its answer been lost.
    if (stored && stored.packageHash === record.packageHash && stored.created === record.created) return null;
    // Another push committed this version. It passed (b) too, so it did so before we replaced its
    // blob as an orphan: it sat more than ORPHAN_AGE_MS between its blob and its row. Its row now
    // names our blobs; deleting them would leave its row with none, so they stay.
    if (stored) return duplicate(record);
    // Nothing committed: the version's keys are ours alone (we won (b)), so clear them all.
    await bucket.delete(versionKeys(record));
    throw error;
  }
}

/** Custom metadata naming the upload key of the push that stored a nupkg: tells a push its own blob from a rival's. */
const PUSHED_BY = 'pushedBy';

/**
 * A claim that failed may still have landed, its answer lost. That nupkg would have no row, and
 * the client's retry would be refused as "being pushed" until it is ORPHAN_AGE_MS old, so it is
 * removed, but only if this push wrote it (its PUSHED_BY tag is our upload key). The error that
 * brought us here is what the client should see, so a failed removal is only logged; the repair
 * pass deletes the blob within the hour (src/pages/repair.ts).
 */
async function dropOwnClaim(bucket: R2Bucket, record: PackageVersionRecord, uploadKey: string): Promise<void> {
  const key = blobKeys.nupkg(record.lowerId, record.lowerVersion);
  try {
    const stored = await bucket.head(key);
    if (stored?.customMetadata?.[PUSHED_BY] === uploadKey) await bucket.delete(key);
  } catch (error) {
    console.error('claimed nupkg not removed', key, error);
  }
}

/** Null when another push holds the key; otherwise how the key was obtained. */
async function claimNupkg(
  env: Pick<Env, 'DB' | 'PACKAGES'>,
  upload: Received,
  record: PackageVersionRecord,
  now: Date,
): Promise<Claim | null> {
  const key = blobKeys.nupkg(record.lowerId, record.lowerVersion);
  const store = (onlyIf: R2Conditional) =>
    storeReceived(env.PACKAGES, upload, key, {
      onlyIf,
      httpMetadata: { contentType: 'application/octet-stream' },
      customMetadata: { [PUSHED_BY]: upload.key },
    });
  if (await store({ etagDoesNotMatch: '*' })) return 'created';
  const existing = await env.PACKAGES.head(key);
  if (!existing) {
    // Removed since our put (orphan cleanup): the key is free again, still only for one push.
    return (await store({ etagDoesNotMatch: '*' })) ? 'created' : null;
  }
  const orphan =
    (now.getTime() - existing.uploaded.getTime() > ORPHAN_AGE_MS || (await writerFinished(env.PACKAGES, existing))) &&
    !(await findVersion(env.DB, record.lowerId, record.lowerVersion));
  // Conditional on the orphan's etag, so that of several pushes replacing it only one succeeds.
  if (orphan && (await store({ etagMatches: existing.etag }))) return 'replacedOrphan';
  return null;
}

/** Whether the push that wrote `nupkg` has ended (its upload is gone); false for blobs without the tag. */
async function writerFinished(bucket: R2Bucket, nupkg: R2Object): Promise<boolean> {
  const writer = nupkg.customMetadata?.[PUSHED_BY];
  return writer !== undefined && (await bucket.head(writer)) === null;
}

function versionKeys({ lowerId, lowerVersion }: PackageVersionRecord): string[] {
  return [
    blobKeys.nupkg(lowerId, lowerVersion),
    blobKeys.nuspec(lowerId, lowerVersion),
    blobKeys.readme(lowerId, lowerVersion),
    blobKeys.icon(lowerId, lowerVersion),
  ];
}

/** The nuspec as its exact bytes from the package, and the embedded readme and icon. */
async function putVersionFiles(
  bucket: R2Bucket,
  files: PackageFiles,
  record: PackageVersionRecord,
  claim: Claim,
): Promise<void> {
  const { lowerId, lowerVersion } = record;
  const readme = blobKeys.readme(lowerId, lowerVersion);
  const icon = blobKeys.icon(lowerId, lowerVersion);
  const writes: Promise<unknown>[] = [
    bucket.put(blobKeys.nuspec(lowerId, lowerVersion), files.nuspec, {
      httpMetadata: { contentType: 'application/xml' },
    }),
  ];
  if (files.readme) {
    writes.push(bucket.put(readme, files.readme, { httpMetadata: { contentType: 'text/markdown; charset=utf-8' } }));
  }
  if (files.icon) {
    writes.push(bucket.put(icon, files.icon.bytes, { httpMetadata: { contentType: files.icon.contentType } }));
  }
  // A replaced orphan's readme or icon must not outlive it.
  const stale = [files.readme ? null : readme, files.icon ? null : icon].filter((k): k is string => k !== null);
  if (claim === 'replacedOrphan' && stale.length > 0) writes.push(bucket.delete(stale));
  // Settled, not all: a failure's cleanup must not run while a sibling put is still in flight,
  // or that put would land after it, a blob no row owns.
  const failed = (await Promise.allSettled(writes)).find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
}
