/**
 * Section "scale": one id with 5,000 versions in a feed of 10,000 packages (--quick: 500 / 1,000).
 *  1. fresh feed; sample pushes over HTTP (empty feed): small ids and a few versions of the big id
 *  2. stop; bulk-load the rest into the local D1 (`wrangler d1 execute --file`, generated SQL)
 *  3. start; POST /admin/rebuild-pages following the cursor (KV pages from D1; time-boxed, see rebuildAll)
 *  4. sample pushes again (full feed), including one more version of the big id
 *  5. registration paging of the big id; search latency p50/p95 over a set of queries
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bigVersion, prng, scaleIds, scaleSql, WORDS } from './lib/bulk.mjs';
import { percentile, timeSequential } from './lib/load.mjs';
import { buildNupkg, push } from './lib/nupkg.mjs';
import { checkPaging } from './lib/paging.mjs';
import { rebuildAll, rebuildOne } from './lib/rebuild.mjs';
import { fixed, printTable } from './lib/table.mjs';
import { d1ExecuteFile, freshState, startWorker } from './lib/worker.mjs';

const BIG_ID = 'Bench.Scale.ManyVersions';

async function samplePushes(origin, label, count, bigVersions) {
  const small = [];
  for (let i = 0; i < count; i++) {
    const id = `Scale.Sample.${label}.P${i}`;
    small.push(await push(origin, buildNupkg({ id, version: '1.0.0', description: `Sample push ${label} ${i}.` })));
  }
  const big = [];
  for (const version of bigVersions) big.push(await push(origin, buildNupkg({ id: BIG_ID, version })));
  const row = (name, list) => {
    const ms = list.map((r) => r.ms).sort((a, b) => a - b);
    const failed = list.filter((r) => r.status !== 201);
    for (const f of failed.slice(0, 3)) console.log(`  push (${name}) answered ${f.status}: ${f.warning}`);
    return {
      when: label,
      pushes: name,
      count: list.length,
      failed: failed.length,
      'p50 ms': fixed(percentile(ms, 50), 0),
      'max ms': fixed(ms.at(-1), 0),
      p50: percentile(ms, 50),
    };
  };
  return [row('new small id', small), row(`new version of ${BIG_ID}`, big)];
}

function searchUrls(origin, packages, perClass) {
  const next = prng(7);
  const word = () => WORDS[Math.floor(next() * WORDS.length)];
  const ids = scaleIds(packages);
  const q = (params) =>
    `${origin}/v3/query?${new URLSearchParams({ semVerLevel: '2.0.0', prerelease: 'true', take: '20', ...params })}`;
  const classes = {
    'one word': () => q({ q: word() }),
    'two words': () => q({ q: `${word()} ${word()}` }),
    'exact id': () => q({ q: ids[Math.floor(next() * ids.length)] }),
    'word, skip 100': () => q({ q: word(), skip: '100' }),
    'matches every id ("scale")': () => q({ q: 'scale', skip: String(Math.floor(next() * 50)) }),
    'browse (no q), take 26': () =>
      q({ q: '', take: '26', skip: String(26 * Math.floor(next() * 5)), prerelease: 'false' }),
  };
  return Object.entries(classes).map(([name, make]) => ({ name, urls: Array.from({ length: perClass }, make) }));
}

export async function benchScale({ quick }) {
  const packages = quick ? 1_000 : 10_000;
  const bigVersions = quick ? 500 : 5_000;
  const samples = quick ? 5 : 20;
  const persistTo = await freshState('scale');
  const tmp = mkdtempSync(join(tmpdir(), 'edgeget-bench-scale-'));
  const steps = [];
  const step = async (name, fn) => {
    const t0 = performance.now();
    const value = await fn();
    steps.push({ step: name, seconds: fixed((performance.now() - t0) / 1000, 1) });
    return value;
  };
  let worker = await startWorker(persistTo);
  try {
    const pushRows = await step('sample pushes, empty feed', () =>
      samplePushes(worker.origin, 'start', samples, ['0.0.1', '0.0.2', '0.0.3']),
    );
    await worker.stop();
    const sqlFile = join(tmp, 'scale.sql');
    await step(`generate SQL (${packages - 1} ids + ${bigVersions} versions)`, () =>
      writeFileSync(sqlFile, scaleSql({ packages: packages - 1, bigId: BIG_ID, bigVersions })),
    );
    await step('wrangler d1 execute --file (bulk load)', () => d1ExecuteFile(persistTo, sqlFile));
    worker = await startWorker(persistTo);
    const budgetS = Number(process.env.BENCH_REBUILD_BUDGET_S ?? (quick ? 15 : 150));
    const rebuild = await step(`POST /admin/rebuild-pages, cursor loop (budget ${budgetS || '∞'} s)`, () =>
      rebuildAll(worker, budgetS * 1000),
    );
    if (!rebuild.complete) await step(`POST /admin/rebuild-pages?id=${BIG_ID}`, () => rebuildOne(worker, BIG_ID));
    const idsTotal = packages + 2 * samples;
    const rebuildNote = rebuild.complete
      ? `all ${rebuild.checked} ids rebuilt in ${fixed(rebuild.ms / 1000, 0)} s`
      : `${rebuild.checked} of ~${idsTotal} ids rebuilt in ${fixed(rebuild.ms / 1000, 0)} s (budget), ` +
        `~${fixed(((rebuild.ms / rebuild.checked) * idsTotal) / 1000, 0)} s for all; the rest are not needed by the figures`;
    pushRows.push(
      ...(await step('sample pushes, full feed', () =>
        samplePushes(worker.origin, 'end', samples, [bigVersion(bigVersions + 10), bigVersion(bigVersions + 11)]),
      )),
    );
    const paging = await step('registration paging check', async () => ({
      semver2: await checkPaging(worker.origin, BIG_ID.toLowerCase(), 'registration-gz-semver2'),
      semver1: await checkPaging(worker.origin, BIG_ID.toLowerCase(), 'registration'),
    }));
    const searchRows = await step('search latency', async () => {
      const rows = [];
      for (const { name, urls } of searchUrls(worker.origin, packages - 1, quick ? 20 : 60)) {
        await timeSequential(urls.slice(0, 3)); // warm
        const { latencies, errors } = await timeSequential(urls);
        rows.push({
          query: name,
          n: latencies.length,
          errors,
          'p50 ms': fixed(percentile(latencies, 50), 1),
          'p95 ms': fixed(percentile(latencies, 95), 1),
          'max ms': fixed(latencies.at(-1), 1),
          latencies,
        });
      }
      return rows;
    });
    const all = searchRows.flatMap((r) => r.latencies).sort((a, b) => a - b);
    printTable(`Scale: steps (${packages} ids, one with ${bigVersions} versions)`, ['step', 'seconds'], steps);
    console.log(
      `  page rebuild: ${rebuildNote}; ${fixed(rebuild.ms / rebuild.checked, 1)} ms per id, ${rebuild.calls} calls${rebuild.retries ? `, ${rebuild.retries} retried after a 503` : ''}.`,
    );
    printTable(
      'Scale: push time, empty feed vs full feed',
      ['when', 'pushes', 'count', 'failed', 'p50 ms', 'max ms'],
      pushRows,
    );
    printTable(
      `Scale: registration paging of ${BIG_ID}`,
      ['hive', 'versions', 'pages', 'expected', 'index ms', 'page p50 ms', 'page max ms', 'problems'],
      Object.entries(paging).map(([hive, p]) => ({
        hive,
        versions: p.versions,
        pages: p.pages,
        expected: p.expectedPages,
        'index ms': fixed(p.indexMs, 1),
        'page p50 ms': fixed(p.pageP50, 1),
        'page max ms': fixed(p.pageMax, 1),
        problems: p.problems.length,
      })),
    );
    for (const [hive, p] of Object.entries(paging))
      for (const problem of p.problems.slice(0, 5)) console.log(`  ${hive}: ${problem}`);
    printTable(
      'Scale: search latency (sequential, take 20 unless noted)',
      ['query', 'n', 'errors', 'p50 ms', 'p95 ms', 'max ms'],
      [
        ...searchRows,
        {
          query: 'all queries',
          n: all.length,
          errors: searchRows.reduce((s, r) => s + r.errors, 0),
          'p50 ms': fixed(percentile(all, 50), 1),
          'p95 ms': fixed(percentile(all, 95), 1),
          'max ms': fixed(all.at(-1), 1),
        },
      ],
    );
    const pushP50 = (when) => pushRows.find((r) => r.when === when && r.pushes === 'new small id')?.p50;
    return {
      searchP95: percentile(all, 95),
      pagingOk: Object.values(paging).every((p) => p.problems.length === 0),
      pushStart: pushP50('start'),
      pushEnd: pushP50('end'),
      bigPushEnd: pushRows.at(-1)?.p50,
      pushesOk: pushRows.every((r) => r.failed === 0),
      rebuildMsPerId: rebuild.ms / rebuild.checked,
      packages,
      bigVersions,
    };
  } finally {
    await worker.stop();
    rmSync(persistTo, { recursive: true, force: true });
    rmSync(tmp, { recursive: true, force: true });
  }
}
