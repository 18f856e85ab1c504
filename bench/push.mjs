/**
 * Section "push": push time and memory of the local runtime for 1, 20 and 90 MB packages (random,
 * incompressible payload). Each size gets a fresh `wrangler dev` and one untimed 1 MB warm-up push,
 * so every measured push starts from the same baseline. Memory comes from /proc of the process
 * group: each process's peak (VmHWM) is reset with clear_refs before the push, and RSS is sampled
 * every 20 ms during it. Goal: memory that does not grow with package size. Then one line: the
 * time of the worst-case .snupkg push (bench/symbolsPush.mjs).
 * Reference: the same bytes PUT to a Worker that only streams the request body into R2, under the
 * same wrangler dev: what the local R2 simulator and runtime cost by themselves (not in --quick).
 * For packages larger than one part, a second reference writes the bytes twice as EdgeGet must
 * (multipart upload, then an R2 → R2 copy to the final key), separating what the simulator costs
 * for that second write from what the Worker itself holds.
 */
import { buildNupkg, multipartBody, push } from './lib/nupkg.mjs';
import { memoryByName, resetPeaks, sampleRss } from './lib/procs.mjs';
import { fixed, printTable } from './lib/table.mjs';
import { benchSymbolsPush } from './symbolsPush.mjs';
import { R2_BINDING, startReferenceWorker } from './lib/referenceWorker.mjs';
import { sleep, startFreshWorker } from './lib/worker.mjs';

const MB = 1024 * 1024;
/** src/push/upload.ts PART_BYTES. */
const PART_BYTES = 8 * MB;
const RUNTIME = 'workerd-runtime';
const PROXY = 'workerd-proxy';

const startR2OnlyWorker = () =>
  startReferenceWorker(
    'r2only',
    `const PART = ${PART_BYTES};
// The body in parts of PART bytes through one reused buffer, then an R2-to-R2 streamed copy to a
// second key and the removal of the first: what EdgeGet does with a package larger than one part.
async function partsAndCopy(env, body, length) {
  const key = 'uploads/' + crypto.randomUUID();
  const upload = await env.BLOBS.createMultipartUpload(key);
  const parts = [];
  // Sized as EdgeGet sizes it, so that the 1 MB warm-up leaves no part-sized buffer behind to reuse.
  const buffer = new Uint8Array(Math.min(PART, length));
  let filled = 0;
  const send = async () => (parts.push(await upload.uploadPart(parts.length + 1, buffer.subarray(0, filled))), (filled = 0));
  const reader = body.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    for (let at = 0; at < read.value.length; ) {
      if (filled === buffer.length) await send();
      const used = Math.min(read.value.length - at, buffer.length - filled);
      buffer.set(read.value.subarray(at, at + used), filled);
      filled += used;
      at += used;
    }
  }
  await send();
  await upload.complete(parts);
  const source = await env.BLOBS.get(key);
  await env.BLOBS.put('packages/' + crypto.randomUUID(), source.body, { onlyIf: { etagDoesNotMatch: '*' } });
  await env.BLOBS.delete(key);
}
export default {
  async fetch(request, env) {
    if (request.method !== 'PUT') return new Response('ok');
    if (new URL(request.url).searchParams.has('copy')) await partsAndCopy(env, request.body, Number(request.headers.get('Content-Length')));
    else await env.BLOBS.put('uploads/' + crypto.randomUUID(), request.body);
    return new Response(null, { status: 201 });
  },
};\n`,
    { bindings: R2_BINDING },
  );

async function r2OnlyPut(origin, bytes, query = '') {
  const { body, contentType } = multipartBody(bytes);
  const started = performance.now();
  const response = await fetch(`${origin}/api/v2/package/${query}`, {
    method: 'PUT',
    headers: { 'Content-Type': contentType },
    body,
  });
  await response.arrayBuffer();
  return { status: response.status, ms: performance.now() - started, warning: '' };
}

async function measured(label, size, start, send) {
  const bytes = buildNupkg({ id: `Bench.Push.Size${size}MB`, version: '1.0.0', payloadBytes: size * MB });
  const worker = await start();
  try {
    await send(worker.origin, buildNupkg({ id: 'Bench.Push.Warmup', version: '1.0.0', payloadBytes: MB }));
    await sleep(1000);
    const before = memoryByName(worker.pgid);
    const peaksReset = resetPeaks(worker.pgid);
    const sampler = sampleRss(worker.pgid, 20);
    const result = await send(worker.origin, bytes);
    const sampled = sampler.stop();
    const after = memoryByName(worker.pgid);
    if (result.status !== 201) console.log(`  ${label} of ${size} MB answered ${result.status}: ${result.warning}`);
    // The higher of the kernel's peak (VmHWM, reset before the push) and the 20 ms samples.
    const peak = (role) => Math.max(peaksReset ? (after[role]?.hwmMb ?? 0) : 0, sampled[role] ?? 0);
    const growth = (role) => peak(role) - (before[role]?.rssMb ?? 0);
    return {
      worker: label,
      package: `${fixed(bytes.length / MB, 1)} MB`,
      status: result.status,
      'push s': fixed(result.ms / 1000, 2),
      'MB/s': fixed(bytes.length / MB / (result.ms / 1000), 1),
      'runtime RSS before MB': fixed(before[RUNTIME]?.rssMb ?? NaN, 0),
      'runtime peak MB': fixed(peak(RUNTIME), 0),
      'runtime growth MB': fixed(growth(RUNTIME), 0),
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
  const reference = [];
  const copying = [];
  for (const size of sizes) {
    rows.push(await measured('EdgeGet push', size, () => startFreshWorker('push'), push));
    if (quick) continue;
    reference.push(await measured('reference: body → R2 put', size, startR2OnlyWorker, r2OnlyPut));
    if (size * MB > PART_BYTES) {
      const copy = (origin, bytes) => r2OnlyPut(origin, bytes, '?copy');
      copying.push(await measured('reference: parts + copy', size, startR2OnlyWorker, copy));
    }
  }
  const columns = Object.keys(rows[0]).filter((c) => c !== 'growth' && c !== 'sizeMb');
  printTable(
    'Push: time and memory of the local runtime (fresh wrangler dev per push, after a 1 MB warm-up)',
    columns,
    [...rows, ...reference, ...copying],
  );
  console.log(
    '  peak = max(VmHWM reset with clear_refs just before the push, VmRSS sampled every 20 ms); growth = peak minus',
  );
  console.log('  RSS before. "runtime" is the workerd running the Worker and the local D1/R2/KV simulators (R2 blobs');
  console.log(
    '  are files on disk); "dev proxy" is the workerd in front of it; wrangler\'s node process is not the Worker.',
  );
  if (reference.length > 0)
    console.log('  The reference Worker only does `env.BLOBS.put(key, request.body)` with the same multipart bytes.');
  if (copying.length > 0) {
    console.log(
      `  "parts + copy": the same bytes as an R2 multipart upload of ${PART_BYTES / MB} MiB parts through one reused buffer, then`,
    );
    console.log(
      '  streamed R2 → R2 to a second key, create-only, and the first removed: the floor for a package larger than one part.',
    );
  }
  const symbols = await benchSymbolsPush();
  return { rows, reference, ok: rows.every((r) => r.status === 201) && symbols.ok };
}
