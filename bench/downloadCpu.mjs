/**
 * "nupkg download CPU": EdgeGet's runtime CPU per .nupkg download next to a reference Worker that
 * does one R2 get of the same bytes and streams the body (bench/lib/referenceWorker.mjs), one
 * request to each in turn (bench/lib/cpu.mjs interleavedCpu), so that the machine's other work
 * falls on both alike. The figure is the mean over the whole run, which includes the download
 * counter's work (src/downloadCounter.ts): one Durable Object call per download, and the object's
 * alarm about once a second, which saves its tally. Locally the object runs in the same workerd
 * process, so both sides of each call are in the figure; on Cloudflare the object's side is billed
 * as a Durable Object request, not as the Worker's CPU.
 * Goal: EdgeGet within 0.05 ms of the reference.
 * `node bench/downloadCpu.mjs [--quick]` runs this comparison alone, on a fresh feed.
 */
import { pathToFileURL } from 'node:url';
import { interleavedCpu, pairedDifference } from './lib/cpu.mjs';
import { buildNupkg, push } from './lib/nupkg.mjs';
import { startR2GetWorker } from './lib/referenceWorker.mjs';
import { fixed, kb, printTable } from './lib/table.mjs';
import { startFreshWorker } from './lib/worker.mjs';

const ID = 'Bench.Cost.Download';
const PATH = '/v3/flat/bench.cost.download/1.0.0/bench.cost.download.1.0.0.nupkg';
const BLOCK = 100;

export async function compareDownloadCpu(edge, { quick }) {
  const turns = quick ? 600 : 3000;
  const bytes = buildNupkg({ id: ID, version: '1.0.0', payloadBytes: 32 * 1024 });
  const pushed = await push(edge.origin, bytes);
  if (pushed.status !== 201) throw new Error(`push of ${ID} answered ${pushed.status}: ${pushed.warning}`);
  const bare = await startR2GetWorker();
  try {
    const stored = await fetch(bare.origin + PATH, { method: 'PUT', body: bytes });
    if (stored.status !== 201) throw new Error(`the reference answered ${stored.status} to the upload`);
    const targets = [
      { worker: edge, url: edge.origin + PATH },
      { worker: bare, url: bare.origin + PATH },
    ];
    await interleavedCpu(targets, { turns: 200, block: BLOCK }); // warm-up: compiled code, a long count window
    const [edgeCpu, bareCpu] = await interleavedCpu(targets, { turns, block: BLOCK });
    const difference = pairedDifference(edgeCpu, bareCpu);
    const row = (worker, cpu) => ({
      worker,
      downloads: turns,
      failed: cpu.failed,
      'runtime CPU ms/download': fixed(cpu.perRequest, 3),
    });
    printTable(
      `nupkg download CPU (${kb(bytes.length)}, ${turns} downloads each, alternating)`,
      Object.keys(row('', edgeCpu)),
      [
        row('EdgeGet', edgeCpu),
        row('reference: one R2 get, body streamed', bareCpu),
        {
          worker: 'difference, EdgeGet − reference',
          'runtime CPU ms/download': `${fixed(difference.mean, 3)} (blocks of ${BLOCK}: median ${fixed(difference.median, 3)}, IQR ${fixed(difference.q1, 3)} to ${fixed(difference.q3, 3)})`,
        },
      ],
    );
    console.log(
      '  Runtime CPU: the workerd runtime process (Worker, local R2/D1/KV simulators and the download counter',
    );
    console.log('  objects), from /proc schedstat, read after each response; the mean covers the whole run.');
    return {
      edge: edgeCpu.perRequest,
      reference: bareCpu.perRequest,
      difference: difference.mean,
      ok: edgeCpu.failed === 0 && bareCpu.failed === 0,
    };
  } finally {
    await bare.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const edge = await startFreshWorker('downloadcpu');
  try {
    await compareDownloadCpu(edge, { quick: process.argv.includes('--quick') });
  } finally {
    await edge.stop();
  }
}
