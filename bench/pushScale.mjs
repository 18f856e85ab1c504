/**
 * Section "pushscale": what a push costs as its id's history grows. Three ids hold 1, 1,000 and
 * 5,000 versions, bulk-loaded into D1 (bench/lib/bulk.mjs, `wrangler d1 execute --local`) and their
 * documents built by POST /admin/rebuild-pages?id=. Then small packages are pushed over HTTP to the
 * counted Worker (bench/workers/counted.ts), so each push's KV writes and D1 rows read are known:
 * 4 in 5 add a version above the newest, 1 in 5 one below the oldest or between two existing ones.
 * Beside them, the same bodies go to a reference Worker doing only the irreducible work (one R2 put,
 * one D1 insert; bench/lib/referenceWorker.mjs) under its own wrangler dev. Pushes go round-robin
 * (id 1, id 1,000, id 5,000, reference, ...), so whatever else runs on the machine falls on all alike.
 * Goals: p50 at 5,000 versions within 1.25× of p50 at 1; KV writes per push the same at every size;
 * D1 rows read growing by at most ~1 row per existing version (the flat list reads the version
 * list; the indexes one summary row per page of 64); push p50 at most 2× the reference's.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bigVersion, feedSql, prng } from './lib/bulk.mjs';
import { startCountedWorker, takeCounts } from './lib/countedWorker.mjs';
import { percentile } from './lib/load.mjs';
import { buildNupkg, push } from './lib/nupkg.mjs';
import { operationsPerRequest } from './lib/prices.mjs';
import { rebuildOne } from './lib/rebuild.mjs';
import { startPushFloorWorker } from './lib/referenceWorker.mjs';
import { fixed, printTable } from './lib/table.mjs';
import { d1ExecuteFile, freshState } from './lib/worker.mjs';

const SIZES = [1, 1_000, 5_000];
const idOf = (size) => `Bench.PushScale.V${size}`;

/** The k-th version pushed into an id of `size` bulk versions: appended, or (1 in 5) inserted lower. */
function versionsFor(size, count, next) {
  let appended = 0;
  return Array.from({ length: count }, (_, k) => {
    if (k % 5 !== 4) return { version: bigVersion(size + appended++), placed: 'above' };
    // Below the oldest (0.0.x), or a fourth part after an existing version: between it and the next.
    if (k % 10 === 4) return { version: `0.0.${k + 1}`, placed: 'below' };
    return { version: `${bigVersion(Math.floor(next() * size))}.${k + 1}`, placed: 'between' };
  });
}

const median = (list) =>
  percentile(
    [...list].sort((a, b) => a - b),
    50,
  );

function sizeRow(size, pushes) {
  const ok = pushes.filter((p) => p.status === 201);
  const ms = ok.map((p) => p.ms).sort((a, b) => a - b);
  const of = (field) => ok.map((p) => p.ops[field]);
  const range = (list) => `${median(list)} (${Math.min(...list)}–${Math.max(...list)})`;
  return {
    'existing versions': size.toLocaleString('en-US'),
    pushes: pushes.length,
    failed: pushes.length - ok.length,
    'p50 ms': fixed(percentile(ms, 50), 0),
    'p95 ms': fixed(percentile(ms, 95), 0),
    'KV writes': range(of('kvWrites')),
    'KV reads': range(of('kvReads')),
    'D1 queries': range(of('d1Queries')),
    'D1 rows read': range(of('d1RowsRead')),
    'D1 rows written': range(of('d1RowsWritten')),
    'R2 class A': range(of('r2ClassA')),
    p50: percentile(ms, 50),
    kvWrites: median(of('kvWrites')),
    rowsRead: median(of('d1RowsRead')),
    size,
  };
}

/** Which statements read the rows: the median per push of each, for the statements that read most at the largest id. */
function printRowsBySql(results) {
  const medianOf = (pushes, sql) => median(pushes.map((p) => p.bySql[sql] ?? 0));
  const statements = [...new Set(results.flatMap((pushes) => pushes.flatMap((p) => Object.keys(p.bySql))))];
  const top = statements
    .map((sql) => ({ sql, rows: results.map((pushes) => medianOf(pushes, sql)) }))
    .sort((a, b) => (b.rows.at(-1) ?? 0) - (a.rows.at(-1) ?? 0))
    .slice(0, 5);
  printTable(
    `Push scaling: D1 rows read per push by statement (median; the ${top.length} reading most at ${SIZES.at(-1)?.toLocaleString('en-US')} versions)`,
    [...SIZES.map((size) => `at ${size.toLocaleString('en-US')}`), 'statement'],
    top.map(({ sql, rows }) => ({
      ...Object.fromEntries(SIZES.map((size, i) => [`at ${size.toLocaleString('en-US')}`, String(rows[i])])),
      statement: sql,
    })),
  );
}

async function seed(persistTo) {
  const dir = mkdtempSync(join(tmpdir(), 'edgeget-bench-pushscale-'));
  try {
    const file = join(dir, 'feed.sql');
    writeFileSync(file, feedSql({ singles: [], many: SIZES.map((size) => ({ id: idOf(size), versions: size })) }));
    await d1ExecuteFile(persistTo, file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchPushScale({ quick }) {
  const count = quick ? 10 : 30;
  const persistTo = await freshState('pushscale');
  let edge;
  let floor;
  try {
    const t0 = performance.now();
    await seed(persistTo);
    edge = await startCountedWorker(persistTo);
    floor = await startPushFloorWorker();
    for (const size of SIZES) await rebuildOne(edge, idOf(size));
    const seconds = fixed((performance.now() - t0) / 1000, 0);
    await (await fetch(`${floor.origin}/setup`, { method: 'POST' })).text();
    // Untimed: the first pushes compile the code paths (and create the reference's table rows).
    for (let i = 0; i < 2; i++) {
      await push(edge.origin, buildNupkg({ id: 'Bench.PushScale.Warmup', version: `1.0.${i}` }));
      await push(floor.origin, buildNupkg({ id: 'Bench.PushScale.Warmup', version: `1.0.${i}` }));
    }
    const next = prng(12);
    const plans = SIZES.map((size) => versionsFor(size, count, next));
    const results = SIZES.map(() => []);
    const reference = [];
    await takeCounts(edge.origin);
    for (let k = 0; k < count; k++) {
      for (const [i, size] of SIZES.entries()) {
        const { version, placed } = plans[i][k];
        const result = await push(edge.origin, buildNupkg({ id: idOf(size), version }));
        const tallies = await takeCounts(edge.origin);
        const ops = operationsPerRequest(tallies, 1);
        if (result.status !== 201)
          console.log(`  push ${idOf(size)} ${version} answered ${result.status}: ${result.warning}`);
        results[i].push({ ...result, ops, placed, bySql: tallies.rowsReadBySql ?? {} });
      }
      reference.push(await push(floor.origin, buildNupkg({ id: idOf(1), version: bigVersion(1 + k) })));
    }
    const rows = SIZES.map((size, i) => sizeRow(size, results[i]));
    const referenceMs = reference
      .filter((r) => r.status === 201)
      .map((r) => r.ms)
      .sort((a, b) => a - b);
    const columns = Object.keys(rows[0]).filter((c) => !['p50', 'kvWrites', 'rowsRead', 'size'].includes(c));
    printTable(
      `Push scaling: ${count} pushes of a small package per id, round-robin (ids bulk-loaded and rebuilt in ${seconds} s)`,
      columns,
      [
        ...rows,
        {
          'existing versions': 'reference: R2 put + D1 insert',
          pushes: reference.length,
          failed: reference.length - referenceMs.length,
          'p50 ms': fixed(percentile(referenceMs, 50), 0),
          'p95 ms': fixed(percentile(referenceMs, 95), 0),
        },
      ],
    );
    console.log('  Storage figures per push: median (min–max), from the counted Worker (bench/workers/counted.ts),');
    console.log('  which also served the timed pushes. 4 in 5 pushes add a version above the newest, 1 in 5 below');
    console.log('  the oldest or between two; the version count grows by one per push. The reference Worker streams');
    console.log(
      '  the same multipart body into one R2 put and inserts one D1 row (bench/lib/referenceWorker.mjs). An id of',
    );
    console.log('  at most 127 versions has its registration pages inlined in its two indexes: no page documents.');
    printRowsBySql(results);
    const [one, thousand, big] = rows;
    // From 1,000 on, both ids are paged: the step from an inlined id to a paged one is a constant, not growth.
    const slope = (big.rowsRead - thousand.rowsRead) / (big.size - thousand.size);
    console.log(
      `  D1 rows read grow by ${fixed(slope, 2)} per existing version from ${thousand.size.toLocaleString('en-US')} to ${big.size.toLocaleString('en-US')} versions`,
    );
    console.log(
      `  (both paged; an id of ${one.size} version reads ${one.rowsRead.toLocaleString('en-US')}: no page documents, nothing to sum up but one page).`,
    );
    return {
      rows,
      p50Ratio: big.p50 / one.p50,
      referenceRatio: one.p50 / percentile(referenceMs, 50),
      kvWritesEqual: rows.every((r) => r.kvWrites === one.kvWrites),
      kvWrites: rows.map((r) => r.kvWrites),
      rowsReadSlope: slope,
      ok: rows.every((r) => r.failed === 0) && referenceMs.length === reference.length,
    };
  } finally {
    await edge?.stop();
    await floor?.stop();
    rmSync(persistTo, { recursive: true, force: true });
  }
}
