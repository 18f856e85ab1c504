/**
 * The one author of SQL over retention_rules, and the reads the retention run plans from
 * (src/admin/retention.ts): the ids some rule matches, their versions, and the latest versions
 * that pin a dependency to one exact version. Rule changes are logged in the batch that makes them.
 */
import type { LatestVersionDependencies, RetentionPackage, RetentionRule } from '../nuget/retention';
import type { DependencyGroup } from '../nuget/types';
import { auditStatement } from './auditLog';
import { flag, plain, rowMapping, type StoredRow } from './columns';

export interface StoredRetentionRule extends RetentionRule {
  createdAt: string;
  changedBy: string;
}

const ruleRows = rowMapping<StoredRetentionRule>({
  pattern: plain('pattern'),
  keepStable: plain('keep_stable'),
  keepPrerelease: plain('keep_prerelease'),
  prereleaseOlderThanDays: plain('prerelease_older_than_days'),
  action: plain('action'),
  createdAt: plain('created_at'),
  changedBy: plain('changed_by'),
});

/** Ids are matched case-insensitively: the lowercased pattern against lower_id. */
const lowerPattern = (pattern: string) => pattern.toLowerCase();

/** The log names a rule by `rule`, as it does in the entries of the versions a rule removed. */
function logged({ pattern, ...limits }: RetentionRule) {
  return { rule: pattern, ...limits };
}

/** Every rule, by pattern. An operator writes them by hand, so they are few. */
export async function retentionRules(db: D1Database): Promise<StoredRetentionRule[]> {
  const { results } = await db
    .prepare(`SELECT ${ruleRows.names.join(', ')} FROM retention_rules ORDER BY lower_pattern`)
    .all<StoredRow>();
  return results.map(ruleRows.decode);
}

/**
 * Adds the rule, or replaces the one with the same pattern in any casing (keeping when it was
 * first created). Answers whether it was added.
 */
export async function putRetentionRule(
  db: D1Database,
  rule: RetentionRule,
  audit: { at: string; actor: string },
): Promise<{ added: boolean }> {
  const stored: StoredRetentionRule = { ...rule, createdAt: audit.at, changedBy: audit.actor };
  const names = ['lower_pattern', ...ruleRows.names];
  const updates = names.filter((name) => name !== 'lower_pattern' && name !== 'created_at');
  const [upsert] = await db.batch([
    db
      .prepare(
        `INSERT INTO retention_rules (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})
         ON CONFLICT (lower_pattern) DO UPDATE SET ${updates.map((name) => `${name} = excluded.${name}`).join(', ')}
         RETURNING created_at`,
      )
      .bind(lowerPattern(rule.pattern), ...ruleRows.encode(stored)),
    auditStatement(db, {
      ...audit,
      action: 'retention.set',
      lowerId: lowerPattern(rule.pattern),
      detail: logged(rule),
    }),
  ]);
  // A replaced rule keeps its created_at, so only a new row returns this request's time.
  const row = upsert?.results[0] as { created_at?: string } | undefined;
  return { added: row?.created_at === audit.at };
}

/** Removes the rule with this pattern (any casing); null when there is none. */
export async function removeRetentionRule(
  db: D1Database,
  pattern: string,
  audit: { at: string; actor: string },
): Promise<StoredRetentionRule | null> {
  const lower = lowerPattern(pattern);
  const found = await db
    .prepare(`SELECT ${ruleRows.names.join(', ')} FROM retention_rules WHERE lower_pattern = ?`)
    .bind(lower)
    .first<StoredRow>();
  if (!found) return null;
  const rule = ruleRows.decode(found);
  await db.batch([
    db.prepare('DELETE FROM retention_rules WHERE lower_pattern = ?').bind(lower),
    auditStatement(db, { ...audit, action: 'retention.remove', lowerId: lower, detail: { rule: rule.pattern } }),
  ]);
  return rule;
}

/**
 * The next ids after `after` (in lower_id order) that some rule's pattern matches. The rule
 * patterns hold only id characters and `*` (parseRetentionRule), so SQLite's GLOB over the
 * lowercased pattern and id is exactly globMatches.
 */
export async function idsMatchingRulesAfter(
  db: D1Database,
  after: string,
  limit: number,
): Promise<{ lowerId: string; id: string }[]> {
  const { results } = await db
    .prepare(
      `SELECT lower_id, id FROM package_registrations AS p
       WHERE lower_id > ?1 AND EXISTS (SELECT 1 FROM retention_rules WHERE p.lower_id GLOB lower_pattern)
       ORDER BY lower_id LIMIT ?2`,
    )
    .bind(after, limit)
    .all<{ lower_id: string; id: string }>();
  return results.map((row) => ({ lowerId: row.lower_id, id: row.id }));
}

const retentionVersionRows = rowMapping<RetentionPackage['versions'][number]>({
  version: plain('version'),
  lowerVersion: plain('lower_version'),
  listed: flag('listed'),
  published: plain('published'),
  created: plain('created'),
});

/** Every version of these ids, only the columns the planner reads (one JSON parameter: D1 binds at most 100). */
export async function retentionPackagesOf(
  db: D1Database,
  ids: readonly { lowerId: string; id: string }[],
): Promise<RetentionPackage[]> {
  const { results } = await db
    .prepare(
      `SELECT lower_id, ${retentionVersionRows.names.join(', ')} FROM package_versions
       WHERE lower_id IN (SELECT value FROM json_each(?))`,
    )
    .bind(JSON.stringify(ids.map((entry) => entry.lowerId)))
    .all<StoredRow>();
  const packages = new Map(ids.map(({ lowerId, id }) => [lowerId, { lowerId, id, versions: [] } as RetentionPackage]));
  for (const row of results) packages.get(row.lower_id as string)?.versions.push(retentionVersionRows.decode(row));
  return [...packages.values()];
}

/**
 * The latest listed version of each id in a page of `limit` ids after `after`, and the latest
 * listed stable one (search_packages holds both), each only when one of its dependency ranges
 * starts with `[` (what an exact range does; exactPins decides). `last`: the page's last id, null
 * past the end.
 */
export async function latestVersionsPinningAfter(
  db: D1Database,
  after: string,
  limit: number,
): Promise<{ latest: LatestVersionDependencies[]; last: string | null }> {
  const { results } = await db
    .prepare(
      `SELECT s.lower_id, v.id, v.version, v.dependency_groups FROM
         (SELECT lower_id, latest_prerelease_semver2 AS newest, latest_stable_semver2 AS stable FROM search_packages
          WHERE lower_id > ?1 ORDER BY lower_id LIMIT ?2) AS s
       LEFT JOIN package_versions AS v ON v.lower_id = s.lower_id AND v.lower_version IN (s.newest, s.stable)
         AND EXISTS (SELECT 1 FROM json_each(v.dependency_groups) AS g, json_each(g.value, '$.dependencies') AS d
                     WHERE json_extract(d.value, '$.range') LIKE '[%')
       ORDER BY s.lower_id`,
    )
    .bind(after, limit)
    .all<{ lower_id: string; id: string | null; version: string | null; dependency_groups: string | null }>();
  const latest = results.flatMap((row) =>
    row.id === null || row.version === null || row.dependency_groups === null
      ? []
      : [
          {
            id: row.id,
            version: row.version,
            dependencyGroups: JSON.parse(row.dependency_groups) as DependencyGroup[],
          },
        ],
  );
  return { latest, last: results.at(-1)?.lower_id ?? null };
}
