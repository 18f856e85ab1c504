/**
 * Upgrading a feed that already has data to migration 0003: its versions are cut into pages of
 * 64 in NuGet order, every page gets a registration_pages row, and every id moves one generation
 * up, so the repair pass rewrites documents stored under the old page URLs. Then 0005 sums every
 * page up (count, bounds, newest time per level) without moving a generation.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { wrangler } from '../../devkit/feed.mjs';

async function d1(persistTo: string, args: string[]): Promise<Record<string, unknown>[]> {
  const { stdout } = await wrangler(['d1', 'execute', 'DB', '--local', '--persist-to', persistTo, '--yes', ...args], {
    timeoutMs: 60_000,
  });
  if (!args.includes('--json')) return [];
  return (JSON.parse(stdout) as { results: Record<string, unknown>[] }[])[0]?.results ?? [];
}

// 130 versions of one id, inserted highest first so that row order is not version order.
const SEED = `
INSERT INTO package_registrations (lower_id, id, generation) VALUES ('old.feed', 'Old.Feed', 130);
WITH RECURSIVE n(i) AS (SELECT 129 UNION ALL SELECT i - 1 FROM n WHERE i > 0)
INSERT INTO package_versions (lower_id, lower_version, id, version, original_version, is_prerelease, is_semver2,
  created, published, package_hash, package_size, authors, description, sort_key)
SELECT 'old.feed', '1.0.' || i, 'Old.Feed', '1.0.' || i, '1.0.' || i, 0, 0, '2026-01-01T00:00:00.000Z',
  '2026-01-01T00:00:00.000Z', 'AAAA', 1, 'a', 'd', printf('%05d', i) FROM n;`;

it('migration 0003 pages existing versions by 64 and makes their documents stale', async () => {
  const persistTo = mkdtempSync(join(tmpdir(), 'edgeget-upgrade-'));
  try {
    for (const file of ['migrations/0001_schema.sql', 'migrations/0002_catalog_leaves.sql']) {
      await d1(persistTo, ['--file', file]);
    }
    await d1(persistTo, ['--command', SEED]);
    await d1(persistTo, ['--file', 'migrations/0003_registration_pages.sql']);
    const pages = await d1(persistTo, [
      '--json',
      '--command',
      `SELECT registration_page AS page, COUNT(*) AS count, MIN(sort_key) AS low, MAX(sort_key) AS high
       FROM package_versions GROUP BY registration_page ORDER BY registration_page`,
    ]);
    expect(pages).toEqual([
      { page: 0, count: 64, low: '00000', high: '00063' },
      { page: 1, count: 64, low: '00064', high: '00127' },
      { page: 2, count: 2, low: '00128', high: '00129' },
    ]);
    expect(await d1(persistTo, ['--json', '--command', 'SELECT * FROM registration_pages ORDER BY page'])).toEqual(
      [0, 1, 2].map((page) => ({ lower_id: 'old.feed', page, semver1_generation: 131, semver2_generation: 131 })),
    );
    expect(await d1(persistTo, ['--json', '--command', 'SELECT generation FROM package_registrations'])).toEqual([
      { generation: 131 },
    ]);
    for (const file of ['migrations/0004_symbols.sql', 'migrations/0005_page_summaries.sql']) {
      await d1(persistTo, ['--file', file]);
    }
    const summaries = await d1(persistTo, [
      '--json',
      '--command',
      `SELECT page, semver1_generation AS generation, first_sort_key AS first, semver2_count AS count,
         semver2_lower AS lower, semver2_upper AS upper, semver1_count = semver2_count AS same,
         semver1_upper = semver2_upper AS sameUpper, semver2_touched AS touched
       FROM registration_pages ORDER BY page`,
    ]);
    const touched = '2026-01-01T00:00:00.000Z';
    expect(summaries).toEqual([
      {
        page: 0,
        generation: 131,
        first: '00000',
        count: 64,
        lower: '1.0.0',
        upper: '1.0.63',
        same: 1,
        sameUpper: 1,
        touched,
      },
      {
        page: 1,
        generation: 131,
        first: '00064',
        count: 64,
        lower: '1.0.64',
        upper: '1.0.127',
        same: 1,
        sameUpper: 1,
        touched,
      },
      {
        page: 2,
        generation: 131,
        first: '00128',
        count: 2,
        lower: '1.0.128',
        upper: '1.0.129',
        same: 1,
        sameUpper: 1,
        touched,
      },
    ]);
  } finally {
    rmSync(persistTo, { recursive: true, force: true });
  }
}, 180_000);
