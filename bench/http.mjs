/**
 * Section "http": restore-path resources on the local Worker vs a Node static server serving the
 * same bytes with the same headers (fetched from the Worker once). Also the Worker's CPU time per
 * request, approximated from /proc (workerd includes the local D1/R2/KV simulators).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getRaw, runLoad } from './lib/load.mjs';
import { cpuMsByName } from './lib/procs.mjs';
import { fixed, kb, printTable, ratio } from './lib/table.mjs';

const HEADERS = { 'Accept-Encoding': 'gzip, deflate', 'User-Agent': 'EdgeGet-bench' };
const DROP = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding', 'content-length']);

/** The resources to measure: what a restore and a search in the IDE ask for. */
function targetsOf(real) {
  const pick = (lowerId) => real.find((p) => p.lowerId === lowerId);
  const small = pick('xunit') ?? real[0];
  const large = pick('newtonsoft.json') ?? real.at(-1);
  const nupkg = (p) => `/v3/flat/${p.lowerId}/${p.version}/${p.lowerId}.${p.version}.nupkg`;
  const targets = [
    { name: 'flat container index', path: `/v3/flat/${small.lowerId}/index.json`, restore: true },
    { name: `nupkg ${kb(small.bytes)}`, path: nupkg(small), restore: true },
    { name: 'registration index (gz)', path: `/v3/registration-gz-semver2/${small.lowerId}/index.json`, restore: true },
    { name: 'search query', path: '/v3/query?q=xunit&prerelease=true&semVerLevel=2.0.0&take=20', restore: false },
  ];
  if (large && large !== small) targets.splice(2, 0, { name: `nupkg ${kb(large.bytes)}`, path: nupkg(large), restore: true });
  return targets;
}

async function startStatic(manifestPath) {
  const child = spawn(process.execPath, [new URL('./lib/staticServer.mjs', import.meta.url).pathname, manifestPath], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      const match = /listening (\d+)/.exec(String(chunk));
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`static server exited with ${code}`)));
  });
  return { origin: `http://127.0.0.1:${port}`, stop: () => child.kill('SIGTERM') };
}

export async function benchHttp(worker, real, { quick }) {
  const concurrency = 8;
  const durationMs = quick ? 1500 : 5000;
  const warmupMs = quick ? 500 : 1500;
  const dir = mkdtempSync(join(tmpdir(), 'edgeget-bench-static-'));
  const targets = targetsOf(real);
  const manifest = {};
  for (const [i, target] of targets.entries()) {
    const response = await getRaw(worker.origin + target.path, HEADERS);
    if (response.status !== 200) throw new Error(`GET ${target.path} answered ${response.status}`);
    const headers = Object.fromEntries(Object.entries(response.headers).filter(([name]) => !DROP.has(name)));
    const file = join(dir, `body-${i}`);
    writeFileSync(file, response.body);
    manifest[target.path] = { file, headers };
    target.bytes = response.body.length;
  }
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  const reference = await startStatic(join(dir, 'manifest.json'));
  const rows = [];
  try {
    for (const target of targets) {
      const options = { concurrency, headers: HEADERS };
      await runLoad(worker.origin + target.path, { ...options, durationMs: warmupMs });
      const cpuBefore = cpuMsByName(worker.pgid);
      const w = await runLoad(worker.origin + target.path, { ...options, durationMs });
      const cpuAfter = cpuMsByName(worker.pgid);
      await runLoad(reference.origin + target.path, { ...options, durationMs: warmupMs });
      const s = await runLoad(reference.origin + target.path, { ...options, durationMs });
      const perRequest = (name) => ((cpuAfter[name] ?? 0) - (cpuBefore[name] ?? 0)) / Math.max(1, w.requests);
      rows.push({
        resource: target.name,
        restore: target.restore,
        'body bytes': target.bytes,
        'worker req/s': fixed(w.rps, 0),
        'worker p50 ms': fixed(w.p50, 2),
        'worker p99 ms': fixed(w.p99, 2),
        'static req/s': fixed(s.rps, 0),
        'static p50 ms': fixed(s.p50, 2),
        'static p99 ms': fixed(s.p99, 2),
        'throughput ratio': ratio(w.rps / s.rps),
        'workerd CPU ms/req': fixed(perRequest('workerd'), 2),
        'node CPU ms/req': fixed(perRequest('node'), 2),
        errors: w.errors + s.errors,
        ratioValue: w.rps / s.rps,
      });
    }
  } finally {
    reference.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const columns = Object.keys(rows[0]).filter((c) => c !== 'ratioValue' && c !== 'restore');
  printTable(`HTTP: local Worker vs static server (${concurrency} concurrent, ${durationMs / 1000} s each, keep-alive)`, columns, rows);
  console.log('  CPU ms/req: utime+stime of the wrangler dev process group over the Worker run divided by its requests;');
  console.log('  an approximation: workerd also runs the local D1/R2/KV simulators, and "node" is wrangler itself.');
  const restoreRatios = rows.filter((r) => r.restore).map((r) => r.ratioValue);
  return { rows, minRestoreRatio: Math.min(...restoreRatios) };
}
