/**
 * The reads of a document rebuild (src/documents/rebuild.ts): an id's flat list, its pages'
 * summaries and the full rows of the pages a document shows in full. The summaries are written
 * by registrationPages.ts; this file only reads them.
 *
 * What a read costs does not grow with the id's history, except the flat list, which names every
 * version: SQLite builds that JSON array itself, so it crosses to the Worker as one value, not as
 * one row per version.
 */
import type { RegistrationLayout } from '../nuget/registration';
import type { PageRow, PageSummary } from '../nuget/registrationLayout';
import type { PackageVersionRecord } from '../nuget/types';
import type { Advisory } from '../nuget/vulnerabilities';
import { advisoriesOfRows, idAdvisoriesStatement } from './advisories';
import type { StoredRow } from './columns';
import { stampedPages } from './registrationPages';
import { versionRows } from './versionColumns';

/** Full version rows and their catalog leaf seqs (§4.6), by lower version, with each page's versions in order. */
export interface PageRecords {
  records: Map<string, PackageVersionRecord>;
  catalogLeaves: Map<string, number>;
  pageVersions: Map<number, string[]>;
}

/**
 * The pages stamped at generation `since` or later (by default the id's latest change), or these
 * pages (one JSON parameter: D1 binds at most 100).
 */
type Selection = { stampedSince: number | undefined } | { pages: readonly number[] };

/** The SQL choosing the pages of `selection`, and the parameters of the statements using it. */
function selected(lowerId: string, selection: Selection): { pages: string; binds: unknown[] } {
  if ('pages' in selection) {
    return { pages: 'SELECT value FROM json_each(?2)', binds: [lowerId, JSON.stringify(selection.pages)] };
  }
  const since = selection.stampedSince;
  return since === undefined
    ? { pages: stampedPages(), binds: [lowerId] }
    : { pages: stampedPages('?2'), binds: [lowerId, since] };
}

function recordStatements(db: D1Database, lowerId: string, selection: Selection): D1PreparedStatement[] {
  const { pages, binds } = selected(lowerId, selection);
  return [
    db
      .prepare(
        `SELECT * FROM package_versions WHERE lower_id = ?1 AND registration_page IN (${pages})
         ORDER BY registration_page, sort_key`,
      )
      .bind(...binds),
    db
      .prepare(
        `SELECT lower_version, MAX(seq) AS seq FROM catalog_items
         WHERE lower_id = ?1 AND item_type = 'PackageDetails'
           AND lower_version IN (SELECT lower_version FROM package_versions
                                 WHERE lower_id = ?1 AND registration_page IN (${pages}))
         GROUP BY lower_version`,
      )
      .bind(...binds),
  ];
}

function pageRecordsOf(rows: readonly unknown[], seqs: readonly unknown[]): PageRecords {
  const records = new Map<string, PackageVersionRecord>();
  const pageVersions = new Map<number, string[]>();
  for (const row of rows as (StoredRow & { registration_page: number })[]) {
    const record = versionRows.decode(row);
    records.set(record.lowerVersion, record);
    const onPage = pageVersions.get(row.registration_page) ?? [];
    onPage.push(record.lowerVersion);
    pageVersions.set(row.registration_page, onPage);
  }
  const catalogLeaves = new Map(
    (seqs as { lower_version: string; seq: number }[]).map((row) => [row.lower_version, row.seq]),
  );
  return { records, catalogLeaves, pageVersions };
}

interface PageRowColumns {
  page: number;
  first_sort_key: string;
  semver1_generation: number;
  semver2_generation: number;
  semver1_count: number;
  semver1_lower: string | null;
  semver1_upper: string | null;
  semver1_touched: string | null;
  semver2_count: number;
  semver2_lower: string | null;
  semver2_upper: string | null;
  semver2_touched: string | null;
}

function levelOf(row: PageRowColumns, level: 'semver1' | 'semver2'): PageSummary | null {
  const count = row[`${level}_count`];
  const lower = row[`${level}_lower`];
  const upper = row[`${level}_upper`];
  if (count === 0 || lower === null || upper === null) return null;
  return { count, lower, upper, touched: row[`${level}_touched`] ?? '', generation: row[`${level}_generation`] };
}

/**
 * One consistent read: the registration, the flat list, every page's summary, the id's advisories and, unless
 * `records` is false, the full rows of the pages stamped at generation `since` or later (by
 * default those of the id's latest change): usually all a rebuild's documents need. null: no id.
 */
export async function registrationSnapshot(
  db: D1Database,
  lowerId: string,
  records: { since?: number } | false,
): Promise<{ layout: RegistrationLayout; changed: PageRecords; advisories: Advisory[] } | null> {
  const [registration, flat, pages, advisories, rows, seqs] = await db.batch([
    db.prepare('SELECT lower_id, id, generation FROM package_registrations WHERE lower_id = ?1').bind(lowerId),
    // The ordered subquery walks package_versions_order alone, one row read per version and no sort;
    // SQLite keeps a FROM subquery's order for order-sensitive aggregates (its ticket 2942).
    db
      .prepare(
        `SELECT json_group_array(lower_version) AS versions
         FROM (SELECT lower_version FROM package_versions WHERE lower_id = ?1 ORDER BY sort_key)`,
      )
      .bind(lowerId),
    // Sorted here, not by SQL, whose sorter would count every row read twice.
    db.prepare('SELECT * FROM registration_pages WHERE lower_id = ?1').bind(lowerId),
    idAdvisoriesStatement(db, lowerId),
    ...(records ? recordStatements(db, lowerId, { stampedSince: records.since }) : []),
  ]);
  const row = registration?.results[0] as { lower_id: string; id: string; generation: number } | undefined;
  if (!row) return null;
  const versions = (flat?.results[0] as { versions: string } | undefined)?.versions ?? '[]';
  const layout: RegistrationLayout = {
    registration: { lowerId: row.lower_id, id: row.id, generation: row.generation },
    versions: JSON.parse(versions) as string[],
    // sort_key is ASCII, so `<` orders it as SQLite's BINARY collation does (src/nuget/version.ts).
    pages: ((pages?.results ?? []) as PageRowColumns[])
      .sort((a, b) => (a.first_sort_key < b.first_sort_key ? -1 : a.first_sort_key > b.first_sort_key ? 1 : 0))
      .map((p): PageRow => ({ page: p.page, semver1: levelOf(p, 'semver1'), semver2: levelOf(p, 'semver2') })),
  };
  return {
    layout,
    changed: pageRecordsOf(rows?.results ?? [], seqs?.results ?? []),
    advisories: advisoriesOfRows(advisories?.results ?? []),
  };
}

/**
 * The full rows of these pages and their catalog leaf seqs: what the documents showing them in
 * full need, read after the snapshot. `generation` is the id's at this read: when it is not the
 * snapshot's, the pages may have moved on, and the records do not belong with its summaries.
 */
export async function pageRecords(
  db: D1Database,
  lowerId: string,
  pages: readonly number[],
): Promise<PageRecords & { generation: number | null }> {
  const [registration, rows, seqs] = await db.batch([
    db.prepare('SELECT generation FROM package_registrations WHERE lower_id = ?1').bind(lowerId),
    ...recordStatements(db, lowerId, { pages }),
  ]);
  const generation = (registration?.results[0] as { generation: number } | undefined)?.generation ?? null;
  return { ...pageRecordsOf(rows?.results ?? [], seqs?.results ?? []), generation };
}
