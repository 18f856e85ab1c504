/**
 * Commits a validated push: blobs first, then the D1 row, the one write that makes the version
 * exist (house rule 4). A push answers 201 only once both are durable; a 5xx makes the client
 * upload again (protocol §2.3), so a push that fails part-way removes what it wrote, or the retry
 * would meet its own leftovers as a 409 (pitfall 11).
 */
import type { Env } from '../env';
import type { PackageFiles, PackageVersionRecord } from '../nuget/types';
import { fail, type Failure } from '../problems';
import { blobKeys, STALE_CLAIM_AGE_MS } from '../store/blobs';
import { findDeletion } from '../store/deletions';
import { findVersion, insertVersion } from '../store/packages';
import { findUpstreamPackage } from '../store/upstreamPackages';
import type { Received } from '../store/uploads';
import {
  deleteOwnNupkg,
  deleteVersionBlobs,
  headNupkg,
  putNupkg,
  putVersionFiles,
  writerFinished,
} from '../store/versionBlobs';

type Claim = 'created' | 'replacedOrphan';

function duplicate(record: Pick<PackageVersionRecord, 'id' | 'version'>): Failure {
  return fail('conflict', `Package ${record.id} ${record.version} already exists. Use --skip-duplicate to ignore.`);
}

function deleted(record: Pick<PackageVersionRecord, 'id' | 'version'>, at: string): Failure {
  return fail(
    'conflict',
    `Package ${record.id} ${record.version} was deleted from this feed (${at}) and cannot be pushed again: clients and lock files keep a package by id and version. Push a new version, or have the admin allow reuse (npx edgeget delete ${record.id} ${record.version} --hard --allow-reuse).`,
  );
}

function cachedFromUpstream(record: Pick<PackageVersionRecord, 'id'>): Failure {
  return fail(
    'conflict',
    `Package ${record.id} is served from this feed's upstream, so it cannot be pushed here: an id has one source. To publish it here instead, the admin first drops the cached copy (npx edgeget upstream forget ${record.id}).`,
  );
}

/** A committed version: the id's generation its batch committed, unknown when only a retry's read found it committed. */
export interface Committed {
  generation?: number;
}

export async function commitVersion(
  env: Pick<Env, 'DB' | 'PACKAGES'>,
  received: Received,
  files: PackageFiles,
  record: PackageVersionRecord,
  now: Date,
  /** The pushing key's name, recorded as owner if this push creates the id; null for the admin key. */
  owner: string | null,
): Promise<Failure | Committed> {
  const { DB: db, PACKAGES: bucket } = env;
  // (a) The cheap, common case: D1 already has the version (protocol §2.4 step 4).
  if (await findVersion(db, record.lowerId, record.lowerVersion)) return duplicate(record);

  // (b) Create-only put of the nupkg: of concurrent pushes of one version exactly one gets past here.
  let claim: Claim | null;
  try {
    claim = await claimNupkg(env, received, record, now);
  } catch (error) {
    await dropOwnClaim(bucket, record, received.key);
    throw error;
  }
  if (claim === null) {
    // The holder may have committed since (a); then this is a plain duplicate.
    if (await findVersion(db, record.lowerId, record.lowerVersion)) return duplicate(record);
    return fail('conflict', `Package ${record.id} ${record.version} is being pushed by another request.`);
  }
  try {
    // (c) The files the flat container serves beside the nupkg (protocol §3.1, §8.2).
    await putVersionFiles(bucket, files, record, claim === 'replacedOrphan');
    // (d) One atomic batch: the row (its primary key is the duplicate check of last resort) and its catalog item.
    return { generation: await insertVersion(db, record, owner, now) };
  } catch (error) {
    const stored = await findVersion(db, record.lowerId, record.lowerVersion);
    // The batch may have committed and only its answer been lost.
    if (stored && stored.packageHash === record.packageHash && stored.created === record.created) return {};
    // Another push committed this version. It passed (b) too, so it did so before we replaced its
    // blob as an orphan: it sat more than STALE_CLAIM_AGE_MS between its blob and its row. Its row
    // now names our blobs; deleting them would leave its row with none, so they stay.
    if (stored) return duplicate(record);
    // Nothing committed: the version's keys are ours alone (we won (b)), so clear them all.
    await deleteVersionBlobs(bucket, record);
    // The schema refuses a hard-deleted version (migration 0007): checked only here, so that
    // every other push pays no read for it.
    const deletion = await findDeletion(db, record.lowerId, record.lowerVersion);
    if (deletion && !deletion.reusable) return deleted(record, deletion.deletedAt);
    // So does it an id cached from the upstream (migration 0010), checked only here likewise.
    if (await findUpstreamPackage(db, record.lowerId)) return cachedFromUpstream(record);
    throw error;
  }
}

/**
 * A claim that failed may still have landed, its answer lost. That nupkg would have no row, and
 * the client's retry would be refused as "being pushed" until it is STALE_CLAIM_AGE_MS old, so it
 * is removed, but only if this push wrote it. The error that brought us here is what the client
 * should see, so a failed removal is only logged; the repair pass deletes the blob within the
 * hour (src/documents/repair.ts).
 */
async function dropOwnClaim(bucket: R2Bucket, record: PackageVersionRecord, uploadKey: string): Promise<void> {
  try {
    await deleteOwnNupkg(bucket, record, uploadKey);
  } catch (error) {
    console.error('claimed nupkg not removed', blobKeys.nupkg(record.lowerId, record.lowerVersion), error);
  }
}

/** Null when another push holds the key; otherwise how the key was obtained. */
async function claimNupkg(
  env: Pick<Env, 'DB' | 'PACKAGES'>,
  received: Received,
  record: PackageVersionRecord,
  now: Date,
): Promise<Claim | null> {
  const bucket = env.PACKAGES;
  if (await putNupkg(bucket, received, record, { etagDoesNotMatch: '*' })) return 'created';
  const existing = await headNupkg(bucket, record);
  if (!existing) {
    // Removed since our put (orphan cleanup): the key is free again, still only for one push.
    return (await putNupkg(bucket, received, record, { etagDoesNotMatch: '*' })) ? 'created' : null;
  }
  const orphan =
    (now.getTime() - existing.uploaded.getTime() > STALE_CLAIM_AGE_MS || (await writerFinished(bucket, existing))) &&
    !(await findVersion(env.DB, record.lowerId, record.lowerVersion));
  // Conditional on the orphan's etag, so that of several pushes replacing it only one succeeds.
  if (orphan && (await putNupkg(bucket, received, record, { etagMatches: existing.etag }))) return 'replacedOrphan';
  return null;
}
