#!/usr/bin/env node
/**
 * `npm run dev`: the whole feed on this machine.
 *
 * 1. Applies the D1 migrations to the local database (default .wrangler/state; created on first run).
 * 2. Runs `wrangler dev --local` on 127.0.0.1:$PORT (default 8787) with the local D1/R2/KV simulation and
 *    the push key NUGET_API_KEY (env, or the fixed "local-dev-key").
 * 3. Prints the NuGet.Config snippet and push command, forwards SIGINT/SIGTERM/SIGHUP to wrangler and
 *    exits with wrangler's exit code.
 */
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const wrangler = join(root, 'node_modules', 'wrangler', 'bin', 'wrangler.js');
const host = '127.0.0.1';
const port = process.env.PORT || '8787';
const apiKey = process.env.NUGET_API_KEY || 'local-dev-key';
const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' };

const signalNumber = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15, SIGKILL: 9 };
let child = null;
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    stopping = true;
    if (child && child.exitCode === null) child.kill(signal);
    else process.exit(130);
  });
}

/** Runs wrangler with the given arguments; resolves with its exit code (signal deaths map to 128+n). */
function runWrangler(args, stdio) {
  return new Promise((done) => {
    child = spawn(process.execPath, [wrangler, ...args], { cwd: root, env, stdio });
    child.once('error', (error) => {
      console.error(`could not start wrangler: ${error.message}`);
      done(1);
    });
    child.once('exit', (code, signal) => done(code ?? (signal ? 128 + (signalNumber[signal] ?? 15) : 1)));
  });
}

const migrated = await runWrangler(['d1', 'migrations', 'apply', 'DB', '--local'], ['ignore', 'inherit', 'inherit']);
if (migrated !== 0 || stopping) {
  console.error(`wrangler d1 migrations apply failed (exit ${migrated})`);
  process.exit(migrated || 1);
}

const source = `http://${host}:${port}/v3/index.json`;
console.log(`
EdgeGet local feed: ${source}
Push key (NUGET_API_KEY): ${apiKey}${process.env.NUGET_API_KEY ? '' : '   (default; set NUGET_API_KEY to choose another)'}

NuGet.Config (plain http needs allowInsecureConnections):
  <configuration>
    <packageSources>
      <add key="edgeget-local" value="${source}" allowInsecureConnections="true" />
    </packageSources>
  </configuration>

Push:
  dotnet nuget push MyPackage.1.0.0.nupkg --source edgeget-local --api-key ${apiKey}
  (or: --source ${source} --allow-insecure-connections)
`);

const args = [
  'dev',
  '--local',
  '--ip',
  host,
  '--port',
  port,
  '--var',
  `NUGET_API_KEY:${apiKey}`,
  ...process.argv.slice(2),
];
process.exit(await runWrangler(args, 'inherit'));
