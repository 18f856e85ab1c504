/**
 * Launches bench/workers/counted.ts (EdgeGet with counted storage bindings) under `wrangler dev`:
 * the measured checkout's own wrangler.toml, with only its entry point replaced (wrangler dev's
 * positional script argument) by a module in a temp dir that wraps that checkout's src/index.ts.
 * The bindings, and so the local D1, R2, KV and Durable Object storage of a persist folder, are
 * the ones EdgeGet's own `wrangler dev` uses: both can serve the same folder, one after the other.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot, startInFolder, startWorker, WORKER_ARGS } from './worker.mjs';

const COUNTED = fileURLToPath(new URL('../workers/counted.ts', import.meta.url));
const COUNTS_PATH = '/__bench/counts';

/** `wrangler dev` of the counted Worker on an existing persist folder (kept when it stops). */
export async function startCountedWorker(persistTo) {
  const dir = mkdtempSync(join(tmpdir(), 'edgeget-bench-counted-'));
  const entry = join(dir, 'counted-entry.ts');
  const app = JSON.stringify(join(repoRoot, 'src', 'index.ts'));
  writeFileSync(
    entry,
    `import app from ${app};
import { countingWorker } from ${JSON.stringify(COUNTED)};
// Durable Object classes are exported from the main module, as src/index.ts does.
export { DownloadCounter } from ${app};
export default countingWorker(app);\n`,
  );
  // The config named: wrangler would otherwise look for one beside the entry.
  const config = join(repoRoot, 'wrangler.toml');
  return startInFolder(dir, () => startWorker(persistTo, [...WORKER_ARGS, '--config', config, entry]));
}

/**
 * The tallies since the previous call (bench/workers/counted.ts): { requests, calls, d1RowsRead,
 * d1RowsWritten }. Work a request left to ctx.waitUntil may land in the next call's tallies.
 */
export async function takeCounts(origin) {
  const response = await fetch(`${origin}${COUNTS_PATH}`);
  if (!response.ok) throw new Error(`${COUNTS_PATH} answered ${response.status}`);
  return response.json();
}
