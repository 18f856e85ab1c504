/**
 * Generates bench feeds as SQL for `wrangler d1 execute --local --file`: rows matching schema.sql
 * (package_registrations, package_versions with their registration page, registration_pages, then
 * package_search and search_packages from them, as a push writes them). No blobs and no catalog
 * items: the bench only reads documents (rebuilt from D1 by POST /admin/rebuild-pages), search and
 * pushes new versions on top. Deterministic (seeded PRNG).
 */
import { randomBytes } from 'node:crypto';
import { seededRandom as prng } from '../../devkit/random.mjs';

export const WORDS = (
  'json http logging cache queue crypto parser client server xml yaml csv grpc proto metrics tracing ' +
  'retry polly mapper mediator graph sql sqlite redis mongo kafka rabbit azure aws blob storage email ' +
  'pdf image audio video compression zip tar hashing random testing mocking fixtures benchmark async ' +
  'reactive actor workflow scheduler cron config options validation identity oauth jwt token rest soap'
).split(' ');

export { prng };

/** Leaves per registration page (src/nuget/registration.ts LEAVES_PER_PAGE). */
const VERSIONS_PER_PAGE = 64;
/** package_versions' registration page number (migrations/0003_registration_pages.sql). */
const PAGE_COLUMN = 'registration_page';

const quote = (value) => (typeof value === 'number' ? String(value) : `'${String(value).replace(/'/g, "''")}'`);
const capital = (word) => word[0].toUpperCase() + word.slice(1);

/** The big id's i-th bulk version (1.0.0 … ), all stable, NuGet-normalized. */
export function bigVersion(i) {
  return `${1 + Math.floor(i / 1000)}.${Math.floor(i / 100) % 10}.${i % 100}`;
}

/** Display ids of the generated packages (other than the big one), in generation order. */
export function scaleIds(count, seed = 42) {
  const next = prng(seed);
  const word = () => WORDS[Math.floor(next() * WORDS.length)];
  return Array.from(
    { length: count },
    (_, n) => `Scale.${capital(word())}.${capital(word())}.P${String(n).padStart(5, '0')}`,
  );
}

/**
 * versionSortKey (src/nuget/version.ts) of a release version: per part (four, missing ones 0) its
 * digit count as a letter ('a' = 1) and its digits, then '~'. The bulk versions have no labels.
 */
export function releaseSortKey(version) {
  if (!/^\d+(\.\d+){0,3}$/.test(version)) throw new Error(`not a plain release version: ${version}`);
  const parts = [...version.split('.').map(Number), 0, 0, 0].slice(0, 4);
  return `${parts.map((n) => String.fromCharCode(96 + String(n).length) + n).join('')}~`;
}

function versionRow(id, version, text, when, next) {
  return [
    id.toLowerCase(),
    version.toLowerCase(),
    id,
    version,
    version,
    0,
    0,
    1,
    when,
    when,
    randomBytes(64).toString('base64'),
    3000 + Math.floor(next() * 100_000),
    'EdgeGet Bench',
    text.description,
    '',
    '',
    text.tags,
    '[]',
    '[]',
    Math.floor(next() * 1_000_000),
    releaseSortKey(version),
  ];
}
const VERSION_COLUMNS =
  'lower_id, lower_version, id, version, original_version, is_prerelease, is_semver2, listed, created, published, ' +
  'package_hash, package_size, authors, description, title, summary, tags, package_types, dependency_groups, downloads, sort_key';

/** search_packages from package_versions, every id: the statement src/store/searchIndex.ts runs per id. */
function searchPackagesSql() {
  const latest = (filter) =>
    `(SELECT v.lower_version FROM package_versions v WHERE v.lower_id = r.lower_id AND v.listed = 1${filter} ORDER BY v.sort_key DESC LIMIT 1)`;
  return (
    'INSERT OR REPLACE INTO search_packages (lower_id, id, total_downloads, latest_stable_semver1, ' +
    'latest_prerelease_semver1, latest_stable_semver2, latest_prerelease_semver2) ' +
    'SELECT r.lower_id, r.id, (SELECT COALESCE(SUM(v.downloads), 0) FROM package_versions v WHERE v.lower_id = r.lower_id), ' +
    `${latest(' AND v.is_prerelease = 0 AND v.is_semver2 = 0')}, ${latest(' AND v.is_semver2 = 0')}, ` +
    `${latest(' AND v.is_prerelease = 0')}, ${latest('')} FROM package_registrations r;`
  );
}

/**
 * Registration pages as a push leaves them (migration 0003): each version's page is its rank in
 * NuGet order within the id, over 64, and each (id, page) has a registration_pages row carrying the
 * id's generation in both hives. Ranked in SQL rather than by generation order, because an id may
 * already hold pushed versions below the bulk ones (the scale section pushes a few first). Pages of
 * the ids with many versions are replaced (they may gain versions); other ids' rows are only added,
 * so the rows of ids pushed over HTTP stay as the Worker wrote them.
 */
function pageStatements(manyLowerIds) {
  const statements = [];
  const pagesOf = (filter) =>
    `SELECT v.lower_id, v.${PAGE_COLUMN}, MAX(r.generation), MAX(r.generation) FROM package_versions v ` +
    `JOIN package_registrations r ON r.lower_id = v.lower_id${filter} GROUP BY v.lower_id, v.${PAGE_COLUMN}`;
  const columns = 'registration_pages (lower_id, page, semver1_generation, semver2_generation)';
  for (const lowerId of manyLowerIds) {
    statements.push(
      `UPDATE package_versions SET ${PAGE_COLUMN} = ranked.position / ${VERSIONS_PER_PAGE} FROM (SELECT rowid AS version_row, ` +
        `ROW_NUMBER() OVER (ORDER BY sort_key) - 1 AS position FROM package_versions WHERE lower_id = ${quote(lowerId)}) ` +
        'AS ranked WHERE package_versions.rowid = ranked.version_row;',
    );
    statements.push(`INSERT OR REPLACE INTO ${columns} ${pagesOf(` WHERE v.lower_id = ${quote(lowerId)}`)};`);
  }
  statements.push(`INSERT OR IGNORE INTO ${columns} ${pagesOf('')};`);
  return statements;
}

/**
 * SQL text for a feed: `singles` (display ids, one version 1.0.0 each, new ids) and `many`
 * ([{ id, versions }]: bigVersion(0 … versions-1) each; the id may exist already).
 */
export function feedSql({ singles, many = [], seed = 42 }) {
  const next = prng(seed + 1);
  const word = () => WORDS[Math.floor(next() * WORDS.length)];
  const when = new Date(Date.UTC(2026, 0, 1)).toISOString();
  const registrations = [];
  const versions = [];
  for (const id of singles) {
    const [, a = 'bench', b = 'feed'] = id.split('.');
    registrations.push([id.toLowerCase(), id, 1]);
    const description = `A ${a.toLowerCase()} and ${b.toLowerCase()} library for ${word()} ${word()} workloads.`;
    versions.push(versionRow(id, '1.0.0', { description, tags: `${word()} ${word()}` }, when, next));
  }
  for (const { id, versions: count } of many) {
    for (let i = 0; i < count; i++) {
      const text = { description: `The package with very many versions (${bigVersion(i)}).`, tags: 'many versions' };
      versions.push(versionRow(id, bigVersion(i), text, when, next));
    }
  }
  const lower = (id) => quote(id.toLowerCase());
  const statements = many.map(
    ({ id }) =>
      `INSERT OR IGNORE INTO package_registrations (lower_id, id, generation) VALUES (${lower(id)}, ${quote(id)}, 0);`,
  );
  const chunk = (rows, head) => {
    for (let i = 0; i < rows.length; i += 200) {
      statements.push(
        `${head} VALUES\n${rows
          .slice(i, i + 200)
          .map((r) => `(${r.map(quote).join(', ')})`)
          .join(',\n')};`,
      );
    }
  };
  chunk(registrations, 'INSERT INTO package_registrations (lower_id, id, generation)');
  chunk(versions, `INSERT INTO package_versions (${VERSION_COLUMNS})`);
  for (const { id } of many) {
    statements.push(`UPDATE package_registrations SET generation = generation + 1 WHERE lower_id = ${lower(id)};`);
  }
  statements.push(...pageStatements(many.map(({ id }) => id.toLowerCase())));
  statements.push(
    'INSERT INTO package_search (rowid, id, title, description, summary, tags, authors) ' +
      'SELECT rowid, id, title, description, summary, tags, authors FROM package_versions ' +
      'WHERE rowid NOT IN (SELECT rowid FROM package_search);',
  );
  statements.push(searchPackagesSql());
  return statements.join('\n');
}

/** The scale feed: `packages` ids (each one version) and `bigVersions` versions of `bigId`. */
export function scaleSql({ packages, bigId, bigVersions, seed = 42 }) {
  return feedSql({ singles: scaleIds(packages, seed), many: [{ id: bigId, versions: bigVersions }], seed });
}
