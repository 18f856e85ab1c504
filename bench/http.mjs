/**
 * Section "http": restore-path resources on the local Worker (wrangler dev) vs a Node static
 * server serving the same bytes with the same headers (fetched from the Worker once), plus the
 * local runtime's ceiling: a constant-body Worker under the same wrangler dev. Also the Worker's
 * CPU time per request, approximated from /proc (workerd includes the local D1/R2/KV simulators).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getRaw, runLoad } from './lib/load.mjs';
import { cpuMsByName } from './lib/procs.mjs';
import { fixed, kb, printTable, ratio } from './lib/table.mjs';
import { CONSTANT_BODY, startConstantWorker } from './lib/referenceWorker.mjs';

const HEADERS = { 'Accept-Encoding': 'gzip, deflate', 'User-Agent': 'EdgeGet-bench' };
const DROP = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding', 'content-length']);
const CEILING_BODY = CONSTANT_BODY;

/** The resources to measure: what a restore and a search in the IDE ask for. */
function targetsOf(real) {
  const pick = (lowerId) => real.find((p) => p.lowerId === lowerId);
  const small = pick('xunit') ?? real[0];
  const large = pick('newtonsoft.json') ?? real.at(-1);
  const nupkg = (p) => `/v3/flat/${p.lowerId}/${p.version}/${p.lowerId}.${p.version}.nupkg`;
  return [
    { name: 'service index', path: '/v3/index.json', restore: true },
    { name: 'flat container index', path: `/v3/flat/${small.lowerId}/index.json`, restore: true },
    { name: `nupkg ${kb(small.bytes)}`, path: nupkg(small), restore: true },
    ...(large && large !== small ? [{ name: `nupkg ${kb(large.bytes)}`, path: nupkg(large), restore: true }] : []),
    {
      name: 'registration index (gz hive)',
      path: `/v3/registration-gz-semver2/${small.lowerId}/index.json`,
      restore: true,
    },
    { name: 'search query', path: '/v3/query?q=xunit&prerelease=true&semVerLevel=2.0.0&take=20', restore: false },
  ];
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
  const options = { concurrency: 8, headers: HEADERS };
  const durationMs = quick ? 1000 : 4000;
  const warmupMs = quick ? 300 : 1000;
  const dir = mkdtempSync(join(tmpdir(), 'edgeget-bench-static-'));
  const targets = targetsOf(real);
  const manifest = {};
  for (const [i, target] of targets.entries()) {
    const response = await getRaw(worker.origin + target.path, HEADERS);
    if (response.status !== 200) throw new Error(`GET ${target.path} answered ${response.status}`);
    const headers = Object.fromEntries(Object.entries(response.headers).filter(([name]) => !DROP.has(name)));
    writeFileSync(join(dir, `body-${i}`), response.body);
    manifest[target.path] = { file: join(dir, `body-${i}`), headers };
    target.bytes = response.body.length;
  }
  writeFileSync(join(dir, 'ceiling-body'), CEILING_BODY);
  manifest['/ceiling'] = { file: join(dir, 'ceiling-body'), headers: { 'content-type': 'application/json' } };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  const reference = await startStatic(join(dir, 'manifest.json'));
  const rows = [];
  const measure = async (name, target, path, restore) => {
    await runLoad(target.origin + path, { ...options, durationMs: warmupMs });
    const cpuBefore = cpuMsByName(target.pgid);
    const w = await runLoad(target.origin + path, { ...options, durationMs });
    const cpuAfter = cpuMsByName(target.pgid);
    await runLoad(reference.origin + path, { ...options, durationMs: warmupMs });
    const s = await runLoad(reference.origin + path, { ...options, durationMs });
    const perRequest = (proc) => ((cpuAfter[proc] ?? 0) - (cpuBefore[proc] ?? 0)) / Math.max(1, w.requests);
    rows.push({
      resource: name,
      bytes: manifest[path] ? String(Buffer.byteLength(CEILING_BODY)) : '',
      'worker req/s': fixed(w.rps, 0),
      'worker p50 ms': fixed(w.p50, 2),
      'worker p99 ms': fixed(w.p99, 2),
      'static req/s': fixed(s.rps, 0),
      'static p50 ms': fixed(s.p50, 2),
      'static p99 ms': fixed(s.p99, 2),
      'worker/static': ratio(w.rps / s.rps),
      'runtime CPU ms/req': fixed(perRequest('workerd-runtime'), 2),
      'dev proxy CPU ms/req': fixed(perRequest('workerd-proxy'), 2),
      'wrangler CPU ms/req': fixed(perRequest('node'), 2),
      errors: w.errors + s.errors,
      restore,
      ratioValue: w.rps / s.rps,
      rpsValue: w.rps,
    });
  };
  let ceiling;
  try {
    for (const target of targets) await measure(target.name, worker, target.path, target.restore);
    for (const [i, target] of targets.entries()) rows[i].bytes = String(target.bytes);
    ceiling = await startConstantWorker();
    await measure('ceiling: constant-body Worker', ceiling, '/ceiling', false);
  } finally {
    await ceiling?.stop();
    reference.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const ceilingRps = rows.at(-1).rpsValue;
  for (const row of rows) row['worker/ceiling'] = ratio(row.rpsValue / ceilingRps);
  const hidden = new Set(['ratioValue', 'rpsValue', 'restore']);
  const columns = Object.keys(rows[0]).filter((c) => !hidden.has(c));
  printTable(
    `HTTP: local Worker (wrangler dev) vs static server (${options.concurrency} concurrent, ${durationMs / 1000} s each, keep-alive)`,
    columns,
    rows,
  );
  console.log('  CPU ms/req: utime+stime from /proc during the Worker run divided by its requests, per process of the');
  console.log(
    '  wrangler dev group. An approximation: "runtime" is the workerd running the Worker AND the local D1/R2/KV',
  );
  console.log('  simulators; "dev proxy" is the workerd in front of it (local only); "wrangler" is its node process.');
  console.log(
    '  worker/ceiling: throughput relative to a constant-body Worker under the same wrangler dev: how close EdgeGet',
  );
  console.log('  gets to what the local runtime serves at all (meaningful for small bodies only).');
  const restoreRows = rows.filter((r) => r.restore);
  return {
    rows,
    minRestoreRatio: Math.min(...restoreRows.map((r) => r.ratioValue)),
    ceilingRatio: rows.at(-1).ratioValue,
    minRestoreVsCeiling: Math.min(
      ...restoreRows.filter((r) => Number(r.bytes) < 65_536).map((r) => r.rpsValue / ceilingRps),
    ),
  };
}
