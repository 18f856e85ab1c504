/**
 * Deprecating and undeprecating versions (`npx edgeget deprecate|undeprecate`), one step a line:
 * find the id, select its versions, keep those whose deprecation changes, commit them in one
 * batch with the audit entry, refresh the documents that show them. Registration carries the
 * deprecation on every SemVer 2 leaf (§4.6, §4.8); search and the gallery read it from D1.
 */
import type { Env } from '../env';
import type { DeprecationChange } from '../nuget/deprecation';
import { deprecationText } from '../nuget/deprecation';
import { lowerId as lowerIdOf } from '../nuget/packageId';
import { sortKeyBounds } from '../nuget/versionSelection';
import { refreshDocuments } from '../documents/refresh';
import { fail, type Failure } from '../problems';
import { selectedVersions, updateDeprecation } from '../store/deprecations';
import { findRegistration } from '../store/packages';

/** One command changes at most this many versions: its batch and its page rewrites stay bounded. */
export const MAX_VERSIONS_PER_CHANGE = 1000;

export interface DeprecationResult {
  id: string;
  /** Full versions whose deprecation this changed, in NuGet order. */
  changed: string[];
  /** Selected versions already as asked. */
  unchanged: string[];
  warnings: string[];
}

export async function changeDeprecation(
  env: Pick<Env, 'DB' | 'PAGES'>,
  cache: Cache,
  request: { change: DeprecationChange; actor: string; now: Date; origin: string },
): Promise<DeprecationResult | Failure> {
  const { change, actor, now, origin } = request;
  const lowerId = lowerIdOf(change.id);
  const registration = await findRegistration(env.DB, lowerId);
  if (!registration) return fail('notFound', `Package ${change.id} is not on this feed.`);
  const selected = await selectedVersions(
    env.DB,
    lowerId,
    sortKeyBounds(change.versions.range),
    MAX_VERSIONS_PER_CHANGE + 1,
  );
  if (selected.length === 0) return fail('notFound', `No version of ${registration.id} is in ${change.versions.text}.`);
  if (selected.length > MAX_VERSIONS_PER_CHANGE) {
    return fail(
      'badRequest',
      `${change.versions.text} selects more than ${MAX_VERSIONS_PER_CHANGE} versions of ${registration.id}: narrow the range and run it in parts.`,
    );
  }
  const wanted = deprecationText(change.deprecation);
  const changed = selected.filter((version) => version.deprecation !== wanted);
  const unchanged = selected.filter((version) => version.deprecation === wanted).map((version) => version.version);
  const result = { id: registration.id, changed: changed.map((version) => version.version), unchanged, warnings: [] };
  // Already as asked: nothing is written, no page changes.
  if (changed.length === 0) return result;
  const generation = await updateDeprecation(env.DB, {
    lowerId,
    lowerVersions: changed.map((version) => version.lowerVersion),
    deprecation: change.deprecation,
    audit: {
      at: now.toISOString(),
      actor,
      action: change.deprecation ? 'deprecate' : 'undeprecate',
      lowerId,
      detail: { versions: result.changed, deprecation: change.deprecation },
    },
  });
  return { ...result, warnings: await refreshDocuments(env, cache, lowerId, origin, generation) };
}
