/**
 * Starts the Worker under `wrangler dev` (local D1/R2/KV simulation persisted in a fresh temp dir) for one test
 * file, and stops it again by killing the whole process group (npx/node → wrangler → workerd).
 */
import { spawn, execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const wranglerBin = join(repoRoot, 'node_modules', 'wrangler', 'bin', 'wrangler.js');

export const wranglerEnv: NodeJS.ProcessEnv = {
  ...process.env,
  WRANGLER_SEND_METRICS: 'false',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  NO_COLOR: '1',
  FORCE_COLOR: '0',
};

export interface Feed {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** `{origin}/v3/index.json`: the source URL given to the client. */
  readonly source: string;
  readonly apiKey: string;
  /** Everything wrangler printed so far (for failure messages). */
  logs(): string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
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

export async function applyMigrations(persistTo: string): Promise<void> {
  const args = [wranglerBin, 'd1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persistTo];
  await promisify(execFile)(process.execPath, args, { cwd: repoRoot, env: { ...wranglerEnv, CI: 'true' } });
}

/** `vars`: extra wrangler vars, e.g. { PRIVATE_FEED: 'true' } (test/client/privateFeed.test.ts). */
export async function startFeed(apiKey = 'client-test-key', vars: Record<string, string> = {}): Promise<Feed> {
  const persistTo = mkdtempSync(join(tmpdir(), 'edgeget-state-'));
  await applyMigrations(persistTo);
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
    `NUGET_API_KEY:${apiKey}`,
    '--show-interactive-dev-session=false',
    ...Object.entries(vars).flatMap(([name, value]) => ['--var', `${name}:${value}`]),
  ];
  // A private feed answers the anonymous probe with its 401 challenge once it is up.
  const ready = vars.PRIVATE_FEED === 'true' ? [200, 401] : [200];
  return launchFeed([process.execPath, ...args], { origin: `http://127.0.0.1:${port}`, apiKey, persistTo, ready });
}

export interface LaunchOptions {
  origin: string;
  apiKey: string;
  /** Removed when the feed stops. */
  persistTo: string;
  /** Statuses of GET {origin}/v3/index.json that mean the feed is up. */
  ready?: readonly number[];
  env?: NodeJS.ProcessEnv;
}

/** Spawns `command` (a feed server) in a process group of its own and waits until `origin` answers. */
export async function launchFeed(command: readonly string[], options: LaunchOptions): Promise<Feed> {
  const { origin, apiKey, persistTo, ready = [200] } = options;
  // detached = setsid: the child leads a new process group that we can kill whole.
  const child = spawn(command[0]!, command.slice(1), {
    cwd: repoRoot,
    env: options.env ?? wranglerEnv,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let exited: number | null | undefined;
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exit = new Promise<void>((done) =>
    child.once('exit', (code) => {
      exited = code;
      done();
    }),
  );
  if (child.pid) liveGroups.add(child.pid);

  const stop = async () => {
    if (exited === undefined && child.pid) {
      killGroup(child.pid, 'SIGTERM');
      const killed = await Promise.race([exit.then(() => true), sleep(5000).then(() => false)]);
      if (!killed) killGroup(child.pid, 'SIGKILL');
    }
    // workerd children may outlive the leader briefly; make sure the group is gone.
    if (child.pid) killGroup(child.pid, 'SIGKILL');
    if (child.pid) liveGroups.delete(child.pid);
    rmSync(persistTo, { recursive: true, force: true });
  };

  const deadline = Date.now() + 90_000;
  for (;;) {
    if (exited !== undefined) throw new Error(`${command.join(' ')} exited with ${exited}:\n${output}`);
    try {
      const response = await fetch(`${origin}/v3/index.json`);
      if (ready.includes(response.status)) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${command.join(' ')} did not become ready within 90 s:\n${output}`);
    }
    await sleep(250);
  }
  return { origin, source: `${origin}/v3/index.json`, apiKey, logs: () => output, stop };
}

/** Process groups still running; killed if the test process exits without calling stop(). */
const liveGroups = new Set<number>();
process.once('exit', () => {
  for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
});

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
