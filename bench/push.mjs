/**
 * Section "push": push time and memory of the local runtime for 1, 20 and 90 MB packages (random,
 * incompressible payload). Each size gets a fresh `wrangler dev` and one untimed 1 MB warm-up push,
 * so every measured push starts from the same baseline. Memory comes from /proc of the process
 * group: each process's peak (VmHWM) is reset with clear_refs before the push, and RSS is sampled
 * every 20 ms during it. Goal: memory that does not grow with package size.
 */
import { buildNupkg, push } from './lib/nupkg.mjs';
import { memoryByName, resetPeaks, sampleRss } from './lib/procs.mjs';
import { fixed, printTable } from './lib/table.mjs';
import { sleep, startFreshWorker } from './lib/worker.mjs';

const MB = 1024 * 1024;
const RUNTIME = 'workerd-runtime';
const PROXY = 'workerd-proxy';

async function measuredPush(size) {
  const bytes = buildNupkg({ id: `Bench.Push.Size${size}MB`, version: '1.0.0', payloadBytes: size * MB });
  const worker = await startFreshWorker('push');
  try {
    await push(worker.origin, buildNupkg({ id: 'Bench.Push.Warmup', version: '1.0.0', payloadBytes: MB }));
    await sleep(1000);
    const before = memoryByName(worker.pgid);
    const peaksReset = resetPeaks(worker.pgid);
    const sampler = sampleRss(worker.pgid, 20);
    const result = await push(worker.origin, bytes);
    const sampled = sampler.stop();
    const after = memoryByName(worker.pgid);
    if (result.status !== 201) console.log(`  push of ${size} MB answered ${result.status}: ${result.warning}`);
    // The higher of the kernel's peak (VmHWM, reset before the push) and the 20 ms samples.
    const peak = (role) => Math.max(peaksReset ? after[role]?.hwmMb ?? 0 : 0, sampled[role] ?? 0);
    const growth = (role) => peak(role) - (before[role]?.rssMb ?? 0);
    return {
      package: `${fixed(bytes.length / MB, 1)} MB`,
      status: result.status,
      'push s': fixed(result.ms / 1000, 2),
      'MB/s': fixed(bytes.length / MB / (result.ms / 1000), 1),
      'runtime RSS before MB': fixed(before[RUNTIME]?.rssMb ?? NaN, 0),
      'runtime peak MB': fixed(peak(RUNTIME), 0),
      'runtime growth MB': fixed(growth(RUNTIME), 0),
      'runtime RSS after MB': fixed(after[RUNTIME]?.rssMb ?? NaN, 0),
      'dev proxy growth MB': fixed(growth(PROXY), 0),
      'wrangler (node) growth MB': fixed(growth('node'), 0),
      growth: growth(RUNTIME),
      sizeMb: bytes.length / MB,
    };
  } finally {
    await worker.stop();
  }
}

export async function benchPush({ quick }) {
  const sizes = quick ? [1, 20] : [1, 20, 90];
  const rows = [];
  for (const size of sizes) rows.push(await measuredPush(size));
  const columns = Object.keys(rows[0]).filter((c) => c !== 'growth' && c !== 'sizeMb');
  printTable('Push: time and memory of the local runtime (fresh wrangler dev per size, after a 1 MB warm-up push)', columns, rows);
  console.log('  peak = max(VmHWM reset with clear_refs just before the push, VmRSS sampled every 20 ms); growth = peak minus');
  console.log('  RSS before. "runtime" is the workerd running the Worker and the local D1/R2/KV simulators (R2 blobs');
  console.log('  are files on disk); "dev proxy" is the workerd in front of it; wrangler\'s node process is not the Worker.');
  return { rows, ok: rows.every((r) => r.status === 201) };
}
