/**
 * Hard delete (`npx edgeget delete <id> [<version>] --hard`), one step a line: find the versions,
 * commit their removal from D1 in batches (truth first), delete their blobs, rebuild the id's
 * documents. A crash after a batch leaves blobs and documents behind, never a row without its
 * blobs: the scheduled repair pass deletes blobs no row owns and rewrites stale documents. The
 * deleted id+version cannot be pushed again unless the admin allows reuse, because clients and
 * lock files cache a package by id and version for ever (src/store/deletions.ts).
 */
import type { Env } from '../env';
import { lowerId as lowerIdOf } from '../nuget/packageId';
import type { PackageVersionRecord } from '../nuget/types';
import { lowerVersion, parseVersion } from '../nuget/version';
import { refreshDocuments } from '../documents/refresh';
import { fail, type Failure } from '../problems';
import { allowReuse, deleteVersions, findDeletion } from '../store/deletions';
import { findRegistration, findVersion, versionsOfId } from '../store/packages';
import { deleteDeletedVersionBlobs } from '../store/versionBlobs';

/** Versions per D1 batch (each adds a catalog item); and per request, so one stays within a Worker's limits. */
const VERSIONS_PER_BATCH = 50;
export const MAX_VERSIONS_PER_DELETE = 500;

export interface DeleteRequest {
  id: string;
  /** null: every version of the id. */
  version: string | null;
  allowReuse: boolean;
  /** The retention rule (its pattern) that asked for the delete, logged with it. */
  rule?: string;
  actor: string;
  now: Date;
  origin: string;
}

export interface DeleteResult {
  id: string;
  deleted: string[];
  /** More versions than one request deletes: run it again. */
  more: boolean;
  warnings: string[];
}

async function versionsToDelete(
  env: Pick<Env, 'DB'>,
  lowerId: string,
  version: string | null,
): Promise<PackageVersionRecord[] | Failure> {
  if (version === null) return versionsOfId(env.DB, lowerId, MAX_VERSIONS_PER_DELETE + 1);
  const parsed = parseVersion(version);
  if (!parsed) return fail('badRequest', `'${version}' is not a valid NuGet version.`);
  const found = await findVersion(env.DB, lowerId, lowerVersion(parsed));
  return found ? [found] : [];
}

export async function hardDelete(
  env: Pick<Env, 'DB' | 'PAGES' | 'PACKAGES'>,
  cache: Cache,
  request: DeleteRequest,
): Promise<DeleteResult | Failure> {
  const lowerId = lowerIdOf(request.id);
  const registration = await findRegistration(env.DB, lowerId);
  if (!registration) return fail('notFound', `Package ${request.id} is not on this feed.`);
  const found = await versionsToDelete(env, lowerId, request.version);
  if ('failure' in found) return found;
  const audit = { at: request.now.toISOString(), actor: request.actor, lowerId };
  if (found.length === 0) return deletedBefore(env, cache, registration.id, request, audit);
  const records = found.slice(0, MAX_VERSIONS_PER_DELETE);
  for (let start = 0; start < records.length; start += VERSIONS_PER_BATCH) {
    const batch = records.slice(start, start + VERSIONS_PER_BATCH);
    const detail = {
      versions: batch.map((record) => record.version),
      allowReuse: request.allowReuse,
      ...(request.rule ? { rule: request.rule } : {}),
    };
    await deleteVersions(env.DB, {
      records: batch,
      reusable: request.allowReuse,
      now: request.now,
      audit: { ...audit, action: 'delete', detail },
    });
  }
  await deleteDeletedVersionBlobs(env.PACKAGES, records);
  // Every listing of the id's documents, not only the stamped ones: emptied pages leave keys to remove.
  const warnings = await refreshDocuments(env, cache, lowerId, request.origin);
  return {
    id: registration.id,
    deleted: records.map((record) => record.version),
    more: found.length > records.length,
    warnings,
  };
}

/**
 * A version deleted before: the request finishes what that delete may not have (its blobs and
 * documents, if it crashed after its batch), and `--allow-reuse` lets the version be pushed again.
 */
async function deletedBefore(
  env: Pick<Env, 'DB' | 'PAGES' | 'PACKAGES'>,
  cache: Cache,
  id: string,
  request: DeleteRequest,
  audit: { at: string; actor: string; lowerId: string },
): Promise<DeleteResult | Failure> {
  const version = request.version === null ? null : parseVersion(request.version);
  const deletion = version ? await findDeletion(env.DB, audit.lowerId, lowerVersion(version)) : null;
  if (!version || !deletion) {
    return fail(
      'notFound',
      request.version === null ? `${id} has no versions left.` : `Package ${id} ${request.version} was not found.`,
    );
  }
  const lower = lowerVersion(version);
  if (request.allowReuse && !deletion.reusable) {
    await allowReuse(env.DB, audit.lowerId, lower, {
      ...audit,
      action: 'allow-reuse',
      detail: { version: request.version },
    });
  }
  await deleteDeletedVersionBlobs(env.PACKAGES, [{ lowerId: audit.lowerId, lowerVersion: lower }]);
  const warnings = await refreshDocuments(env, cache, audit.lowerId, request.origin);
  return { id, deleted: [], more: false, warnings };
}
