/**
 * Unlist and relist (protocol §2.5), one step a line: authorize, read the stored version, commit
 * the change with its catalog item, refresh the id's documents. DELETE unlists and never deletes: the
 * version stays downloadable and in the flat index and registration, with listed:false, and
 * leaves search. Both succeed again when the version is already in the requested state.
 */
import { authorizeId } from '../auth/authorize';
import type { Env } from '../env';
import type { KeyGrant } from '../nuget/keyScopes';
import { lowerId } from '../nuget/packageId';
import type { PackageVersionRecord } from '../nuget/types';
import { lowerVersion, parseVersion } from '../nuget/version';
import { listingRecord } from '../nuget/versionRecord';
import { refreshDocuments } from '../documents/refresh';
import { fail, type Failure } from '../problems';
import type { AuditEntry } from '../store/auditLog';
import { findVersion, updateListing } from '../store/packages';

export interface ListingChange {
  record: PackageVersionRecord;
  warnings: string[];
}

/**
 * `id` and `version` arrive as the user typed them: any casing, `1.0` for `1.0.0`, maybe
 * `+metadata` (protocol §2.1, pitfall 4); identity is lowerId + the normalized lowerVersion.
 * `origin` is the request's, whose edge-cached pages are purged after the change.
 */
export async function setListed(
  env: Pick<Env, 'DB' | 'PAGES'>,
  cache: Cache,
  change: {
    publisher: KeyGrant;
    id: string;
    version: string;
    listed: boolean;
    now: Date;
    origin: string;
    /** An operator's change (a retention rule) is logged in its own batch: who, and why. */
    audit?: Omit<AuditEntry, 'at' | 'lowerId'>;
  },
): Promise<ListingChange | Failure> {
  const { publisher, id, version, listed, now, origin, audit } = change;
  const denied = await authorizeId(env.DB, publisher, 'unlist', id);
  if (denied) return denied;
  const parsed = parseVersion(version);
  if (!parsed) return fail('badRequest', `'${version}' is not a valid NuGet version.`);
  const found = await findVersion(env.DB, lowerId(id), lowerVersion(parsed));
  if (!found) return fail('notFound', `Package ${id} ${version} was not found.`);
  // Already as asked: nothing changes, so no catalog item and no document is written.
  if (found.listed === listed) return { record: found, warnings: [] };
  const record = listingRecord(found, listed, now);
  const entry = audit ? { ...audit, at: now.toISOString(), lowerId: found.lowerId } : undefined;
  const generation = await updateListing(env.DB, record, now, entry);
  return { record, warnings: await refreshDocuments(env, cache, found.lowerId, origin, generation) };
}
