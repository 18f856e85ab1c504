/**
 * Unlist and relist (protocol §2.5). DELETE unlists and never deletes: the version stays
 * downloadable and in the flat index and registration, with listed:false, and leaves search.
 * Both succeed again when the version is already in the requested state.
 */
import type { Env } from '../env';
import { lowerId } from '../nuget/packageId';
import type { PackageVersionRecord } from '../nuget/types';
import { lowerVersion, parseVersion } from '../nuget/version';
import { fail, type Failure } from '../problems';
import { catalogItemStatement } from '../store/catalog';
import { findVersion, setListedStatements } from '../store/packages';
import { refreshPages } from './publishPackage';

export interface ListingChange {
  record: PackageVersionRecord;
  warnings: string[];
}

/**
 * `id` and `version` arrive as the user typed them: any casing, `1.0` for `1.0.0`, maybe
 * `+metadata` (protocol §2.1, pitfall 4); identity is lowerId + the normalized lowerVersion.
 */
export async function setListed(
  env: Pick<Env, 'DB' | 'PAGES'>,
  id: string,
  version: string,
  listed: boolean,
  now: Date,
  /** The request's origin, whose edge-cached pages are purged after the change. */
  origin?: string,
): Promise<ListingChange | Failure> {
  const parsed = parseVersion(version);
  if (!parsed) return fail('badRequest', `'${version}' is not a valid NuGet version.`);
  const found = await findVersion(env.DB, lowerId(id), lowerVersion(parsed));
  if (!found) return fail('notFound', `Package ${id} ${version} was not found.`);

  const at = now.toISOString();
  // As setListedStatements changes the row: relisting an unlisted version moves published to now.
  const record: PackageVersionRecord = {
    ...found,
    listed,
    published: listed && !found.listed ? at : found.published,
  };
  await env.DB.batch([
    ...setListedStatements(env.DB, found.lowerId, found.lowerVersion, listed, at),
    catalogItemStatement(env.DB, {
      itemType: 'PackageDetails',
      record,
      commitId: crypto.randomUUID(),
      nowUs: now.getTime() * 1000,
    }),
  ]);
  return { record, warnings: await refreshPages(env, found.lowerId, origin) };
}
