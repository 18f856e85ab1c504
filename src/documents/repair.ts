/**
 * The scheduled repair pass (wrangler.toml cron). It converges what a failed or raced request
 * left behind:
 *  - KV documents missing or older than D1 (a rebuild that lost a race or failed after its D1
 *    commit; see src/documents/rebuild.ts) are rebuilt;
 *  - R2 blobs nothing owns are deleted: push bodies under uploads/ from interrupted pushes,
 *    version blobs written by a push that failed before its D1 row committed (blob → row → pages),
 *    and PDBs under symbols/ that no symbol_files row names.
 *  - search_packages rows that differ from what package_versions implies (a bulk load, a manual
 *    fix; every batch that changes versions rewrites its id's row) are recomputed.
 *  - the retention rules are applied (src/admin/retention.ts), at most RETENTION_ACTIONS a pass;
 *  - the jtis of expired OIDC tokens are forgotten (src/store/trust.ts), and the keys trusted
 *    publishing issued a week after they expired (src/store/apiKeys.ts).
 * Blobs younger than UNOWNED_BLOB_AGE_MS (src/store/blobs.ts) are left alone: they may belong to a
 * push still in flight.
 */
import { runRetention } from '../admin/retention';
import type { Env } from '../env';
import { STORED_ORIGIN } from '../links';
import { blobKeys, blobVersionOf, deleteBlobs, forEachBlobListing, UNOWNED_BLOB_AGE_MS } from '../store/blobs';
import { existingVersions, lowerIdsAfter } from '../store/packages';
import { isMultipartMarker, removeInterruptedUpload } from '../store/uploads';
import { convergeSearchPackages, dropOrphanSearchPackages } from '../store/searchIndex';
import { removeUnnamedSymbolBlobs } from '../store/symbols';
import { forgetExpiredIssuedKeys } from '../store/apiKeys';
import { forgetExpiredTokens } from '../store/trust';
import { rebuildAllDocuments } from './rebuild';

/** Ids per search_packages statement: each recomputes its rows from package_versions, far within D1's 30 s. */
const SEARCH_CHUNK = 500;
/**
 * Each action rebuilds its id's documents, in the same invocation as the other chores and within
 * its subrequest limit (docs/platform.md §1): a share that leaves them room, 4,800 versions a day
 * at a pass every 30 minutes.
 */
const RETENTION_ACTIONS = 100;

/**
 * A pass has no request origin to purge edge-cached documents for: a cached copy lives out its
 * max-age (src/store/edgeCache.ts), as copies in other data centres always do.
 */
async function applyRetention(env: Env, now: Date): Promise<void> {
  const { failed } = await runRetention(env, caches.default, {
    dryRun: false,
    limit: RETENTION_ACTIONS,
    now,
    origin: STORED_ORIGIN,
  });
  if (failed.length > 0) throw new Error(`${failed.length} retention actions failed; the next pass tries them again.`);
}

/**
 * An old key under uploads/ is a push that died. If it died mid-body, its marker names the R2
 * multipart upload it left open (src/store/partSink.ts), which is aborted here: R2's binding cannot
 * list uploads in progress, so the marker is the only way to find it.
 */
async function removeInterruptedUploads(bucket: R2Bucket, cutoff: number): Promise<void> {
  await forEachBlobListing(
    bucket,
    blobKeys.uploadsPrefix,
    async (objects) => {
      const old = objects.filter((object) => object.uploaded.getTime() < cutoff);
      const multipart = old.filter((object) => isMultipartMarker(object));
      await Promise.all(multipart.map((object) => removeInterruptedUpload(bucket, object)));
      await deleteBlobs(
        bucket,
        old.filter((object) => !isMultipartMarker(object)).map((object) => object.key),
      );
    },
    ['customMetadata'],
  );
}

/**
 * An old blob whose version has no row is deleted one object at a time, not by whole folder: a
 * new push of that version rewrites its blobs (so they are young) before committing its row,
 * and any old blob it did not rewrite is not part of it.
 */
async function removeUnownedVersionBlobs(bucket: R2Bucket, db: D1Database, cutoff: number): Promise<void> {
  await forEachBlobListing(bucket, blobKeys.packagesPrefix, async (objects) => {
    const candidates = new Map<string, { key: string; lowerId: string; lowerVersion: string }[]>();
    for (const object of objects) {
      const version = blobVersionOf(object.key);
      if (!version || object.uploaded.getTime() >= cutoff) continue;
      const folder = blobKeys.versionPrefix(version.lowerId, version.lowerVersion);
      candidates.set(folder, [...(candidates.get(folder) ?? []), { key: object.key, ...version }]);
    }
    const versions = [...candidates.values()].map((blobs) => blobs[0]!);
    const owned = new Set(
      (await existingVersions(db, versions)).map((v) => blobKeys.versionPrefix(v.lowerId, v.lowerVersion)),
    );
    const orphans = [...candidates].filter(([folder]) => !owned.has(folder)).flatMap(([, blobs]) => blobs);
    await deleteBlobs(
      bucket,
      orphans.map((blob) => blob.key),
    );
  });
}

async function convergeSearchIndex(db: D1Database): Promise<void> {
  let after = '';
  for (;;) {
    const last = (await lowerIdsAfter(db, after, SEARCH_CHUNK)).at(-1);
    if (last === undefined) break;
    await convergeSearchPackages(db, after, last);
    after = last;
  }
  await dropOrphanSearchPackages(db);
}

export async function repairFeed(env: Env, now: Date): Promise<void> {
  const cutoff = now.getTime() - UNOWNED_BLOB_AGE_MS;
  // Independent chores: one failing must not keep the others from running.
  const results = await Promise.allSettled([
    rebuildAllDocuments(env),
    removeInterruptedUploads(env.PACKAGES, cutoff),
    removeUnownedVersionBlobs(env.PACKAGES, env.DB, cutoff),
    forEachBlobListing(env.PACKAGES, blobKeys.symbolsPrefix, (objects) =>
      removeUnnamedSymbolBlobs(env.DB, env.PACKAGES, objects, cutoff),
    ),
    convergeSearchIndex(env.DB),
    applyRetention(env, now),
    forgetExpiredTokens(env.DB, now),
    forgetExpiredIssuedKeys(env.DB, now),
  ]);
  const errors = results.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []));
  if (errors.length > 0) throw new AggregateError(errors, 'The repair pass did not finish.');
}
