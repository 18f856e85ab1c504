/**
 * Recording, changing and removing vulnerability advisories (`npx edgeget vulnerability …`), one
 * step a line: read the ids' stored advisories, decide per advisory what changes, commit every
 * change in one batch with its audit entries, refresh the registration of each affected id. The
 * VulnerabilityInfo pages are read from D1 on request, so they need no refresh.
 */
import type { Env } from '../env';
import { advisoryOutcome, type AdvisoryOutcome } from '../nuget/advisory';
import { parseRange } from '../nuget/range';
import { sortKeyBounds, type SortKeyBounds } from '../nuget/versionSelection';
import { refreshDocuments } from '../documents/refresh';
import { advisoriesOf, type AdvisorySet, type StoredAdvisory, updateAdvisories } from '../store/advisories';

export interface AdvisoryResult {
  set: AdvisorySet;
  outcome: AdvisoryOutcome;
}

/** The versions a stored range covers, as sort-key bounds; stored ranges were parsed before they were stored. */
function boundsOf(versions: string): SortKeyBounds[] {
  const range = parseRange(versions, { allowFloating: false });
  return range ? [sortKeyBounds(range)] : [];
}

/**
 * Makes each advisory (id + URL) exactly as `wanted` says (no ranges: removed). The ids must be on
 * the feed; callers check. `dryRun` decides and reports without writing.
 */
export async function applyAdvisories(
  env: Pick<Env, 'DB' | 'PAGES'>,
  cache: Cache,
  request: { wanted: readonly AdvisorySet[]; actor: string; now: Date; origin: string; dryRun?: boolean },
): Promise<{ results: AdvisoryResult[]; warnings: string[] }> {
  const { wanted, actor, now, origin } = request;
  const at = now.toISOString();
  const stored = await advisoriesOf(env.DB, [...new Set(wanted.map((set) => set.lowerId))]);
  const storedOf = (set: AdvisorySet): StoredAdvisory[] =>
    stored.filter((row) => row.id === set.lowerId && row.url === set.url);
  const results = wanted.map((set) => ({ set, outcome: advisoryOutcome(storedOf(set), set) }));
  const changes = results.filter((result) => result.outcome !== 'unchanged');
  if (request.dryRun || changes.length === 0) return { results, warnings: [] };

  // Versions covered before or after the change are the ones whose registration entries move.
  const ranges = new Map<string, SortKeyBounds[]>();
  for (const { set } of changes) {
    const covered = [...storedOf(set).map((row) => row.versions), ...set.versions].flatMap(boundsOf);
    ranges.set(set.lowerId, [...(ranges.get(set.lowerId) ?? []), ...covered]);
  }
  const generations = await updateAdvisories(
    env.DB,
    changes.map(({ set, outcome }) => ({
      set,
      audit: { at, actor, action: `advisory.${outcome}`, lowerId: set.lowerId, detail: set },
    })),
    [...ranges].map(([lowerId, bounds]) => ({ lowerId, ranges: bounds })),
    at,
  );
  const warnings = new Set<string>();
  for (const [lowerId, generation] of generations) {
    for (const warning of await refreshDocuments(env, cache, lowerId, origin, generation)) warnings.add(warning);
  }
  return { results, warnings: [...warnings] };
}
