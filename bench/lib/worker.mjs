/**
 * Starts the Worker under `wrangler dev --local` on 127.0.0.1 (free port, fresh --persist-to dir
 * after applying the D1 migrations) in its own process group, and stops it by killing the group.
 * Same approach as test/client/harness/feed.ts, as plain .mjs so the bench needs no build step.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** The checkout whose Worker is measured: this one, or BENCH_ROOT (e.g. an exported commit). */
export const repoRoot = resolve(
  process.env.BENCH_ROOT ?? resolve(fileURLToPath(new URL('.', import.meta.url)), '../..'),
);
export const wranglerBin = join(repoRoot, 'node_modules', 'wrangler', 'bin', 'wrangler.js');
export const API_KEY = 'bench-key';
export const wranglerEnv = {
  ...process.env,
  WRANGLER_SEND_METRICS: 'false',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  NO_COLOR: '1',
  FORCE_COLOR: '0',
  CI: 'true',
};

export const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/** Runs `node wrangler.js ...args` to completion; rejects with its output on failure. */
export async function wrangler(args, options = {}) {
  const run = promisify(execFile);
  return run(process.execPath, [wranglerBin, ...args], {
    cwd: repoRoot,
    env: wranglerEnv,
    maxBuffer: 64 * 1024 * 1024,
    timeout: options.timeoutMs ?? 300_000,
  });
}

/** A fresh persist dir with the D1 schema applied. */
export async function freshState(label = 'state') {
  const dir = mkdtempSync(join(tmpdir(), `edgeget-bench-${label}-`));
  await wrangler(['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', dir]);
  return dir;
}

export async function d1ExecuteFile(persistTo, file) {
  await wrangler(['d1', 'execute', 'DB', '--local', '--persist-to', persistTo, '--file', file, '--yes'], {
    timeoutMs: 600_000,
  });
}

/** Process groups still running: killed when the bench exits or is interrupted (they are setsid'd). */
const running = new Set();
process.once('exit', () => {
  for (const pgid of running) killGroup(pgid, 'SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.once(signal, () => process.exit(130));

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/**
 * Extra `wrangler dev` flags (BENCH_WRANGLER_ARGS, space separated). Default: no per-request log
 * lines, which wrangler's node process would print (CPU taken from a 2-core machine).
 */
export const WORKER_ARGS = (process.env.BENCH_WRANGLER_ARGS ?? '--log-level warn').split(' ').filter(Boolean);

/** Starts `wrangler dev` on an existing persist dir; resolves once GET /v3/index.json answers 200. */
export async function startWorker(
  persistTo,
  extraArgs = WORKER_ARGS,
  { cwd = repoRoot, ready = '/v3/index.json' } = {},
) {
  const port = await freePort();
  const inspectorPort = await freePort();
  const args = [
    wranglerBin,
    'dev',
    '--local',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--inspector-port',
    String(inspectorPort),
    '--persist-to',
    persistTo,
    '--var',
    `NUGET_API_KEY:${API_KEY}`,
    '--show-interactive-dev-session=false',
    ...extraArgs,
  ];
  const child = spawn(process.execPath, args, {
    cwd,
    env: wranglerEnv,
    detached: true, // setsid: a new process group, killed whole in stop()
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let exited;
  // At --log-level info wrangler logs every request: keep only the tail.
  const keep = (chunk) => (output = (output + chunk).slice(-32_768));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  running.add(child.pid);
  const exit = new Promise((done) =>
    child.once('exit', (code) => {
      exited = code;
      done();
    }),
  );
  const origin = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (exited === undefined) {
      killGroup(child.pid, 'SIGTERM');
      await Promise.race([exit, sleep(5000)]);
    }
    killGroup(child.pid, 'SIGKILL');
    running.delete(child.pid);
  };
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (exited !== undefined) throw new Error(`wrangler dev exited with ${exited}:\n${output}`);
    try {
      const response = await fetch(`${origin}${ready}`);
      await response.arrayBuffer();
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`wrangler dev not ready within 90 s:\n${output}`);
    }
    await sleep(200);
  }
  return { origin, pgid: child.pid, logs: () => output, stop };
}

/** A fresh feed: new persist dir, migrations, wrangler dev. stop() also removes the dir. */
export async function startFreshWorker(label, extraArgs) {
  const persistTo = await freshState(label);
  const worker = await startWorker(persistTo, extraArgs);
  return {
    ...worker,
    persistTo,
    stop: async () => {
      await worker.stop();
      rmSync(persistTo, { recursive: true, force: true });
    },
  };
}
