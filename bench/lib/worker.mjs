/**
 * The bench's feeds: the dev kit's launcher (devkit/feed.mjs) with the bench's key and quiet logs,
 * serving this checkout or BENCH_ROOT (e.g. an exported commit, to compare two versions).
 */
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  freshState as devFreshState,
  repoRoot as devRoot,
  startFeed,
  wrangler as devWrangler,
} from '../../devkit/feed.mjs';

export { sleep } from '../../devkit/feed.mjs';

/** The checkout whose Worker is measured: this one, or BENCH_ROOT. */
export const repoRoot = resolve(process.env.BENCH_ROOT ?? devRoot);
export const API_KEY = 'bench-key';

/**
 * Extra `wrangler dev` flags (BENCH_WRANGLER_ARGS, space separated). Default: no per-request log
 * lines, which wrangler's node process would print (CPU taken from a 2-core machine).
 */
export const WORKER_ARGS = (process.env.BENCH_WRANGLER_ARGS ?? '--log-level warn').split(' ').filter(Boolean);

// An interrupted bench still stops its feeds: the dev kit kills their process groups on exit.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.once(signal, () => process.exit(130));

export const wrangler = (args, options = {}) => devWrangler(args, { cwd: repoRoot, ...options });

/** A fresh persist folder with the D1 schema applied. */
export const freshState = (label = 'state') => devFreshState(`bench-${label}`, repoRoot);

export async function d1ExecuteFile(persistTo, file) {
  await wrangler(['d1', 'execute', 'DB', '--local', '--persist-to', persistTo, '--file', file, '--yes'], {
    timeoutMs: 600_000,
  });
}

/** `wrangler dev` on an existing persist folder; `cwd` and `ready` serve the bench's reference Workers. */
export function startWorker(persistTo, extraArgs = WORKER_ARGS, { cwd = repoRoot, ready = '/v3/index.json' } = {}) {
  return startFeed({ apiKey: API_KEY, persistTo, args: extraArgs, root: repoRoot, cwd, readyPath: ready });
}

/** A fresh feed: new persist folder, migrations, wrangler dev. stop() also removes the folder. */
export async function startFreshWorker(label, extraArgs) {
  const persistTo = await freshState(label);
  return { ...(await startInFolder(persistTo, () => startWorker(persistTo, extraArgs))), persistTo };
}

/**
 * A Worker whose files (config, entry, local storage) live in the temp folder `dir`: the folder
 * is removed when the Worker stops, or at once if it never starts.
 * @template {{ stop: () => Promise<void> }} W
 * @param {string} dir
 * @param {() => Promise<W>} start
 * @returns {Promise<W>}
 */
export async function startInFolder(dir, start) {
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    const worker = await start();
    return {
      ...worker,
      stop: async () => {
        await worker.stop();
        remove();
      },
    };
  } catch (error) {
    remove();
    throw error;
  }
}
