/**
 * Section "cost": per request of each read endpoint and of a push, the storage operations (KV,
 * R2, D1 queries and rows, Durable Object calls) and the runtime CPU, and from them the cost per
 * million requests at Cloudflare's prices (bench/lib/prices.mjs). The feed is bulk-loaded into D1
 * (bench/lib/costTargets.mjs) and its documents built by POST /admin/rebuild-pages?id=.
 *  1. the counted Worker (bench/workers/counted.ts) on the feed: operations per request
 *  2. EdgeGet itself on the same feed (a new origin, so a cold edge cache again): runtime CPU per
 *     request (bench/lib/cpu.mjs), next to a constant-body Worker under the same kind of
 *     wrangler dev (what any request costs the local runtime)
 *  3. nupkg download CPU against a Worker doing one R2 get (bench/downloadCpu.mjs)
 * CPU is priced as EdgeGet's minus the constant-body Worker's: still an overestimate, since the
 * local runtime process also runs the D1/R2/KV simulators, which Cloudflare does not bill as CPU.
 */
import { rmSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareDownloadCpu } from './downloadCpu.mjs';
import { startCountedWorker, takeCounts } from './lib/countedWorker.mjs';
import { costFeed, costTargets } from './lib/costTargets.mjs';
import { getCpu, runtimeCpu } from './lib/cpu.mjs';
import { costPerMillion, operationsPerRequest, PRICES_CHECKED, priceRows } from './lib/prices.mjs';
import { rebuildOne } from './lib/rebuild.mjs';
import { startConstantWorker } from './lib/referenceWorker.mjs';
import { fixed, printTable } from './lib/table.mjs';
import { d1ExecuteFile, freshState, sleep, startWorker } from './lib/worker.mjs';

async function seed(persistTo, cold) {
  const dir = mkdtempSync(join(tmpdir(), 'edgeget-bench-cost-'));
  try {
    const feed = costFeed(cold);
    writeFileSync(join(dir, 'feed.sql'), feed.sql);
    await d1ExecuteFile(persistTo, join(dir, 'feed.sql'));
    return feed;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Phase 1: operations per request of every step, on the counted Worker. */
async function countOperations(persistTo, feed, options) {
  const worker = await startCountedWorker(persistTo);
  try {
    for (const id of feed.rebuild) await rebuildOne(worker, id);
    const steps = await costTargets(worker, { ...options, singles: feed.singles, tag: 'a' });
    const measured = [];
    await takeCounts(worker.origin);
    for (const step of steps) {
      const requests = await step.run();
      await sleep(step.settleMs);
      measured.push({ ...step, requests, ops: operationsPerRequest(await takeCounts(worker.origin), requests) });
    }
    return measured;
  } finally {
    await worker.stop();
  }
}

/** Phase 2: runtime CPU per request of every step, on EdgeGet itself (`worker`). */
async function measureCpu(worker, feed, options) {
  const steps = await costTargets(worker, { ...options, singles: feed.singles, tag: 'b' });
  const cpu = [];
  for (const step of steps) {
    const { value: requests, cpuMs } = await runtimeCpu(worker, step.run, step.settleMs);
    cpu.push(cpuMs / requests);
  }
  const constant = await startConstantWorker();
  try {
    const urls = Array.from({ length: options.warm * 2 }, () => `${constant.origin}/`);
    await getCpu(constant, urls.slice(0, 50));
    return { cpu, baseline: (await getCpu(constant, urls)).perRequest };
  } finally {
    await constant.stop();
  }
}

const per = (value) => (value === 0 ? '0' : value < 0.01 ? value.toExponential(1) : fixed(value, 2));

export async function benchCost({ quick }) {
  const options = { cold: quick ? 30 : 100, warm: quick ? 100 : 300, pushes: quick ? 10 : 30 };
  const persistTo = await freshState('cost');
  let worker;
  try {
    const feed = await seed(persistTo, options.cold);
    const counted = await countOperations(persistTo, feed, options);
    worker = await startWorker(persistTo);
    const { cpu, baseline } = await measureCpu(worker, feed, options);
    const rows = counted.map((step, i) => {
      const cpuMs = cpu[i] ?? NaN;
      const billedCpu = Math.max(0, cpuMs - baseline);
      return { ...step, cpuMs, billedCpu, cost: costPerMillion(step.ops, billedCpu) };
    });
    printTable(
      'Cost: storage operations and runtime CPU per request',
      [
        'endpoint',
        'edge cache',
        'n',
        'CPU ms',
        'minus constant',
        'KV r',
        'KV list',
        'KV w',
        'R2 A',
        'R2 B',
        'D1 q',
        'D1 rows r',
        'D1 rows w',
        'DO',
      ],
      rows.map((r) => ({
        endpoint: r.endpoint,
        'edge cache': r.cache,
        n: r.requests,
        'CPU ms': fixed(r.cpuMs, 2),
        'minus constant': fixed(r.cpuMs - baseline, 2),
        'KV r': per(r.ops.kvReads),
        'KV list': per(r.ops.kvLists),
        'KV w': per(r.ops.kvWrites),
        'R2 A': per(r.ops.r2ClassA),
        'R2 B': per(r.ops.r2ClassB),
        'D1 q': per(r.ops.d1Queries),
        'D1 rows r': per(r.ops.d1RowsRead),
        'D1 rows w': per(r.ops.d1RowsWritten),
        DO: per(r.ops.doCalls),
      })),
    );
    console.log(
      `  CPU ms: runtime CPU per request (EdgeGet under wrangler dev); the constant-body Worker takes ${fixed(baseline, 2)} ms.`,
    );
    console.log(
      '  Operations from the counted Worker, the same requests on the same feed (another origin): KV lists are',
    );
    console.log(
      '  priced as writes; R2 A = put, list, multipart; R2 B = get, head; DO = Durable Object RPC calls (the',
    );
    console.log('  download counter: one per download; its object saves them about once a second).');
    console.log('  cold: each URL once (edge-cache misses); warm: one URL repeated (hits). Not cached: no edge cache.');
    const dollars = (value) => (value < 0.001 ? value.toExponential(1) : fixed(value, 3));
    printTable(
      'Cost per million requests (USD)',
      ['endpoint', 'edge cache', 'requests', 'CPU', 'KV', 'R2', 'D1', 'DO', 'total'],
      rows.map((r) => ({
        endpoint: r.endpoint,
        'edge cache': r.cache,
        requests: dollars(r.cost.requests),
        CPU: dollars(r.cost.cpu),
        KV: dollars(r.cost.kv),
        R2: dollars(r.cost.r2),
        D1: dollars(r.cost.d1),
        DO: dollars(r.cost.durableObjects),
        total: dollars(r.cost.total),
      })),
    );
    printTable(
      `Prices (Workers Paid; as published on developers.cloudflare.com, checked ${PRICES_CHECKED}; included monthly allowances ignored)`,
      ['item', 'price'],
      priceRows(),
    );
    const download = await compareDownloadCpu(worker, { quick });
    return { rows, baseline, download, ok: download.ok };
  } finally {
    await worker?.stop();
    rmSync(persistTo, { recursive: true, force: true });
  }
}
