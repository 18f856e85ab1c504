/**
 * The feed launcher of the tests, the bench and the CLI tests: `wrangler dev --local` on 127.0.0.1
 * (a free port, local D1/R2/KV in a persist folder with the D1 migrations applied), run in a process
 * group of its own and stopped by killing the whole group (node → wrangler → workerd).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');

/**
 * The environment wrangler runs in here: no metrics, no network look-ups, no colour, never interactive.
 * @type {NodeJS.ProcessEnv}
 */
export const wranglerEnv = {
  ...process.env,
  WRANGLER_SEND_METRICS: 'false',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  NO_COLOR: '1',
  FORCE_COLOR: '0',
  CI: 'true',
};

/**
 * @typedef {object} Feed
 * @property {string} origin `http://127.0.0.1:<port>`
 * @property {string} source `{origin}/v3/index.json`: the source URL given to clients.
 * @property {string} apiKey
 * @property {number} pgid The process group (for measuring its processes).
 * @property {() => string} logs What the server printed: its start and its latest output.
 * @property {() => Promise<void>} stop
 */

/** @returns {Promise<number>} */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** @param {number} ms */
export const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/**
 * `wrangler <args>` to completion in `cwd` (a checkout: its own node_modules/wrangler); resolves
 * with its output, rejects with it on failure. It runs in a process group of its own, killed whole
 * after `timeoutMs`: a stalled wrangler must not leave its workerd behind, spinning.
 * @param {string[]} args
 * @param {{ cwd?: string, timeoutMs?: number }} [options]
 * @returns {Promise<{ stdout: string, stderr: string }>}
 */
export function wrangler(args, { cwd = repoRoot, timeoutMs = 300_000 } = {}) {
  const bin = join(cwd, 'node_modules', 'wrangler', 'bin', 'wrangler.js');
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd, env: wranglerEnv, detached: true });
    const pgid = child.pid ?? 0;
    liveGroups.add(pgid);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => killGroup(pgid, 'SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      killGroup(pgid, 'SIGKILL');
      liveGroups.delete(pgid);
      if (code === 0) resolveRun({ stdout, stderr });
      else reject(new Error(`wrangler ${args.join(' ')} failed (${signal ?? `exit ${code}`}):\n${stdout}${stderr}`));
    });
  });
}

/**
 * A fresh persist folder with the D1 schema applied.
 * @param {string} [label]
 * @param {string} [cwd]
 */
export async function freshState(label = 'state', cwd = repoRoot) {
  const dir = mkdtempSync(join(tmpdir(), `edgeget-${label}-`));
  await wrangler(['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', dir], { cwd, timeoutMs: 45_000 });
  return dir;
}

/** Process groups still running; killed if this process exits without stopping them. */
const liveGroups = new Set();
process.once('exit', () => {
  for (const pgid of liveGroups) killGroup(pgid, 'SIGKILL');
});

/**
 * @param {number} pid
 * @param {NodeJS.Signals} signal
 */
function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** Keeps a server's first output (its banner) and its latest, not everything a long run logs. */
function outputLog() {
  let head = '';
  let tail = '';
  return {
    /** @param {Buffer} chunk */
    add(chunk) {
      if (head.length < 16_384) head += chunk.toString();
      else tail = (tail + chunk.toString()).slice(-65_536);
    },
    text: () => (tail ? `${head}\n…\n${tail}` : head),
  };
}

/**
 * @typedef {object} LaunchOptions
 * @property {string} origin Where the server will listen.
 * @property {string} apiKey
 * @property {string} [cwd]
 * @property {NodeJS.ProcessEnv} [env]
 * @property {string} [readyPath] The path probed until it answers (default the service index).
 * @property {readonly number[]} [ready] Statuses of that probe that mean it is up (default 200).
 * @property {() => void} [cleanup] Run once the server is stopped (e.g. remove its persist folder).
 */

/**
 * Spawns `command` (a feed server) in its own process group and waits until `origin` answers.
 * @param {readonly string[]} command
 * @param {LaunchOptions} options
 * @returns {Promise<Feed>}
 */
export async function launchFeed(command, options) {
  const { origin, apiKey, cwd = repoRoot, readyPath = '/v3/index.json', ready = [200] } = options;
  // detached = setsid: the child leads a new process group that stop() kills whole.
  const child = spawn(command[0] ?? '', command.slice(1), {
    cwd,
    env: options.env ?? wranglerEnv,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = outputLog();
  child.stdout.on('data', output.add);
  child.stderr.on('data', output.add);
  /** @type {number | null | undefined} */
  let exited;
  const exit = new Promise((done) =>
    child.once('exit', (code) => {
      exited = code;
      done(undefined);
    }),
  );
  const pgid = child.pid ?? 0;
  liveGroups.add(pgid);

  const stop = async () => {
    if (exited === undefined) {
      killGroup(pgid, 'SIGTERM');
      await Promise.race([exit, sleep(5000)]);
    }
    // workerd children may outlive the leader briefly; make sure the group is gone.
    killGroup(pgid, 'SIGKILL');
    liveGroups.delete(pgid);
    options.cleanup?.();
  };

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited !== undefined) throw new Error(`${command.join(' ')} exited with ${exited}:\n${output.text()}`);
    // wrangler dev stays up after a failed build, holding requests: say so at once.
    if (/Build failed/.test(output.text())) {
      await stop();
      throw new Error(`${command.join(' ')} could not build the Worker:\n${output.text()}`);
    }
    try {
      // Until the Worker is up, the dev proxy may accept a request and hold it: probe with a time limit.
      const response = await fetch(`${origin}${readyPath}`, { signal: AbortSignal.timeout(5000) });
      await response.arrayBuffer();
      if (ready.includes(response.status)) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${command.join(' ')} did not become ready within 60 s:\n${output.text()}`);
    }
    await sleep(200);
  }
  return { origin, source: `${origin}/v3/index.json`, apiKey, pgid, logs: output.text, stop };
}

/**
 * @typedef {object} FeedOptions
 * @property {string} [apiKey] The admin key (NUGET_API_KEY) the feed runs with.
 * @property {Record<string, string>} [vars] More wrangler vars, e.g. { PRIVATE_FEED: 'true' }.
 * @property {string} [persistTo] An existing persist folder (kept); default a fresh one, removed on stop().
 * @property {string[]} [args] More `wrangler dev` arguments (e.g. `--config` of another Worker).
 * @property {string} [root] The checkout whose wrangler and wrangler.toml are used (default this one).
 * @property {string} [cwd] Where wrangler runs (default `root`).
 * @property {string} [readyPath] See LaunchOptions.
 */

/**
 * `wrangler dev` of the Worker on fresh (or the given) local storage.
 * @param {FeedOptions} [options]
 * @returns {Promise<Feed>}
 */
export async function startFeed(options = {}) {
  // On a loaded machine a start can stall (seen once in a full run); one more try, on new ports, rescues it.
  try {
    return await startFeedOnce(options);
  } catch (error) {
    console.warn(`[dev kit] wrangler dev did not start, trying once more: ${String(error).split('\n', 1)[0]}`);
    return startFeedOnce(options);
  }
}

/** @param {FeedOptions} options */
async function startFeedOnce(options) {
  const { apiKey = 'dev-kit-key', vars = {}, args = [], root = repoRoot, cwd = root } = options;
  const persistTo = options.persistTo ?? (await freshState('state', root));
  const port = await freePort();
  const inspectorPort = await freePort();
  const command = [
    process.execPath,
    join(root, 'node_modules', 'wrangler', 'bin', 'wrangler.js'),
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
    '--show-interactive-dev-session=false',
    ...Object.entries({ NUGET_API_KEY: apiKey, ...vars }).flatMap(([name, value]) => ['--var', `${name}:${value}`]),
    ...args,
  ];
  return launchFeed(command, {
    origin: `http://127.0.0.1:${port}`,
    apiKey,
    cwd,
    readyPath: options.readyPath,
    // A private feed answers the anonymous probe with its 401 challenge once it is up.
    ready: vars.PRIVATE_FEED === 'true' ? [200, 401] : [200],
    cleanup: options.persistTo ? undefined : () => rmSync(persistTo, { recursive: true, force: true }),
  });
}
