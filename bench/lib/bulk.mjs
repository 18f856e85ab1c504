/**
 * Generates the scale feed as SQL for `wrangler d1 execute --local --file`: rows matching
 * migrations/0001_schema.sql (package_registrations, package_versions, then package_search and
 * search_packages from them, as a push writes them). No blobs and no catalog items: the bench only
 * reads pages (rebuilt from D1 by POST /admin/rebuild-pages) and search. Deterministic (seeded PRNG).
 */
import { randomBytes } from 'node:crypto';

export const WORDS = (
  'json http logging cache queue crypto parser client server xml yaml csv grpc proto metrics tracing ' +
  'retry polly mapper mediator graph sql sqlite redis mongo kafka rabbit azure aws blob storage email ' +
  'pdf image audio video compression zip tar hashing random testing mocking fixtures benchmark async ' +
  'reactive actor workflow scheduler cron config options validation identity oauth jwt token rest soap'
).split(' ');

export { seededRandom as prng } from '../../devkit/random.mjs';

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

/** SQL text: `packages` ids (each one version) and `bigVersions` versions of `bigId`. */
export function scaleSql({ packages, bigId, bigVersions, seed = 42 }) {
  const next = prng(seed + 1);
  const word = () => WORDS[Math.floor(next() * WORDS.length)];
  const when = new Date(Date.UTC(2026, 0, 1)).toISOString();
  const registrations = [];
  const versions = [];
  for (const id of scaleIds(packages, seed)) {
    const [, a, b] = id.split('.');
    registrations.push([id.toLowerCase(), id, 1]);
    const description = `A ${a.toLowerCase()} and ${b.toLowerCase()} library for ${word()} ${word()} workloads.`;
    versions.push(versionRow(id, '1.0.0', { description, tags: `${word()} ${word()}` }, when, next));
  }
  for (let i = 0; i < bigVersions; i++) {
    const text = { description: `The package with very many versions (${bigVersion(i)}).`, tags: 'many versions' };
    versions.push(versionRow(bigId, bigVersion(i), text, when, next));
  }
  const statements = [
    `INSERT OR IGNORE INTO package_registrations (lower_id, id, generation) VALUES ('${bigId.toLowerCase()}', '${bigId}', 0);`,
  ];
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
  statements.push(
    `UPDATE package_registrations SET generation = generation + 1 WHERE lower_id = '${bigId.toLowerCase()}';`,
  );
  statements.push(
    'INSERT INTO package_search (rowid, id, title, description, summary, tags, authors) ' +
      'SELECT rowid, id, title, description, summary, tags, authors FROM package_versions ' +
      'WHERE rowid NOT IN (SELECT rowid FROM package_search);',
  );
  statements.push(searchPackagesSql());
  return statements.join('\n');
}
