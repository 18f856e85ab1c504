#!/usr/bin/env node
/**
 * `npm run bench [-- --only http,restore,bundle,scale,push,pushscale,cost] [--quick]`: EdgeGet's
 * benchmark. Prints tables (Markdown) and a summary of the goals; a measurement, never a test: it
 * asserts nothing about timings and exits 0 unless a section could not run at all. Figures that
 * compare two things are ratios or differences measured side by side in one run (the machine is shared).
 *   http       restore-path resources: local Worker vs a static server of the same bytes, CPU/request
 *   restore    `dotnet restore` of an xunit project, cold client caches: EdgeGet vs a local folder feed
 *   bundle     gzipped size of the deployable Worker
 *   scale      10,000 packages, one id with 5,000 versions: pushes, paging, search p95
 *   push       push time and runtime memory for 1/20/90 MB packages
 *   pushscale  pushes into ids of 1 / 1,000 / 5,000 versions: time, KV writes and D1 rows read per
 *              push, next to a Worker doing one R2 put and one D1 insert
 *   cost       per endpoint and push: storage operations, runtime CPU, USD per million requests;
 *              nupkg download CPU next to a Worker doing one R2 get
 * --quick: a smoke run (~3 min): shorter loads, 1 restore run each (after a warm-up of each feed),
 * 1,000 packages / 500 versions, 1 and 20 MB pushes without the reference Worker, 10 pushes per id
 * size, 30 cold and 100 warm requests per endpoint. The default run takes ~8 min on 2 cores.
 * Env: BENCH_ONLY, BENCH_QUICK=1 (same as the flags); BENCH_ROOT (measure another checkout, e.g. an
 * exported commit with node_modules linked); BENCH_WRANGLER_ARGS (default "--log-level warn");
 * BENCH_REBUILD_BUDGET_S (scale page rebuild time box, 0 = all ids); EDGEGET_REAL_PACKAGES.
 * Linux only (/proc). Everything listens on 127.0.0.1; temp dirs are removed at the end.
 */
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { benchBundle } from './bundle.mjs';
import { benchCost } from './cost.mjs';
import { benchHttp } from './http.mjs';
import { benchPush } from './push.mjs';
import { benchPushScale } from './pushScale.mjs';
import { benchRestore } from './restore.mjs';
import { benchScale } from './scale.mjs';
import { realPackages, seedFeed } from './seed.mjs';
import { costGoals, pushScaleGoals } from './goals.mjs';
import { fixed, printTable, ratio } from './lib/table.mjs';
import { repoRoot, startFreshWorker } from './lib/worker.mjs';

const SECTIONS = ['http', 'restore', 'bundle', 'scale', 'push', 'pushscale', 'cost'];
const { values } = parseArgs({ options: { only: { type: 'string' }, quick: { type: 'boolean', default: false } } });
const only = (values.only ?? process.env.BENCH_ONLY ?? SECTIONS.join(','))
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const unknown = only.filter((s) => !SECTIONS.includes(s));
if (unknown.length > 0) {
  console.error(`unknown section(s): ${unknown.join(', ')}; choose from ${SECTIONS.join(', ')}`);
  process.exit(2);
}
const quick = values.quick || process.env.BENCH_QUICK === '1';
const wants = (name) => only.includes(name);

const version = (cmd, args) => {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'ignore'] })
      .trim()
      .split('\n')[0];
  } catch {
    return 'absent';
  }
};
const pkg = (name) => {
  try {
    return execFileSync(process.execPath, ['-p', `require('${name}/package.json').version`], {
      encoding: 'utf8',
    }).trim();
  } catch {
    return '?';
  }
};
const dotnetVersion = version('dotnet', ['--version']);
console.log(`# EdgeGet benchmark${quick ? ' (--quick)' : ''}: ${only.join(', ')}`);
console.log(
  `date ${new Date().toISOString()}; ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${fixed(totalmem() / 2 ** 30, 1)} GiB RAM`,
);
const commit = version('git', ['-C', repoRoot, 'describe', '--always', '--dirty']);
console.log(
  `tree ${repoRoot} (${commit === 'absent' ? 'not a git checkout' : commit}); load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
console.log(
  `node ${process.version}, wrangler ${pkg('wrangler')}, miniflare ${pkg('miniflare')}, dotnet SDK ${dotnetVersion}, ${version('uname', ['-sr'])}`,
);

const results = {};
const errors = [];
const section = async (name, fn) => {
  const t0 = performance.now();
  try {
    results[name] = await fn();
  } catch (error) {
    errors.push(name);
    console.log(`\n!! section ${name} failed: ${error instanceof Error ? error.stack : error}`);
  }
  console.log(`  (${name}: ${fixed((performance.now() - t0) / 1000, 0)} s)`);
};

if (wants('bundle')) await section('bundle', () => benchBundle());

if (wants('http') || wants('restore')) {
  const worker = await startFreshWorker('main');
  try {
    const real = realPackages();
    if (wants('http') || wants('restore')) {
      if (real.length === 0) console.log('\n!! no .nupkg under /opt/nuget/packages: http and restore need them');
      else await section('seed', () => seedFeed(worker.origin, { generated: quick ? 20 : 40 }));
    }
    if (wants('http') && results.seed) await section('http', () => benchHttp(worker, real, { quick }));
    if (wants('restore') && results.seed && dotnetVersion !== 'absent')
      await section('restore', () => benchRestore(worker, real, { quick }));
  } finally {
    await worker.stop();
  }
}

if (wants('push')) await section('push', () => benchPush({ quick }));

if (wants('scale')) await section('scale', () => benchScale({ quick }));

if (wants('pushscale')) await section('pushscale', () => benchPushScale({ quick }));

if (wants('cost')) await section('cost', () => benchCost({ quick }));

const goal = (met) => (met === undefined ? 'not measured' : met ? 'met' : 'NOT met');
const rows = [];
const { http, restore, bundle, scale, push, pushscale, cost } = results;
if (http) {
  rows.push({
    figure: 'restore-path throughput, Worker / static (lowest resource)',
    value: ratio(http.minRestoreRatio),
    goal: '≥ 0.50×',
    status: goal(http.minRestoreRatio >= 0.5),
  });
  rows.push({
    figure: 'same for a constant-body Worker (local runtime ceiling)',
    value: ratio(http.ceilingRatio),
    goal: 'reference',
    status: '',
  });
  rows.push({
    figure: 'restore-path, bodies < 64 KB, Worker / ceiling Worker (lowest)',
    value: ratio(http.minRestoreVsCeiling),
    goal: 'reference',
    status: '',
  });
}
if (restore)
  rows.push({
    figure: 'dotnet restore, EdgeGet / folder feed (median)',
    value: ratio(restore.ratio),
    goal: '≤ 1.20×',
    status: restore.ok ? goal(restore.ratio <= 1.2) : 'restore failed',
  });
if (bundle)
  rows.push({
    figure: 'Worker bundle, gzipped',
    value: `${fixed(bundle.gzipBytes / 1024, 1)} KB`,
    goal: '< 100 KB',
    status: goal(bundle.gzipBytes < 100 * 1024),
  });
if (scale) {
  rows.push({
    figure: `search p95, ${scale.packages} packages`,
    value: `${fixed(scale.searchP95, 1)} ms`,
    goal: '< 50 ms',
    status: goal(scale.searchP95 < 50),
  });
  rows.push({
    figure: `registration paging, ${scale.bigVersions}-version id`,
    value: scale.pagingOk ? 'correct' : 'problems',
    goal: 'correct',
    status: goal(scale.pagingOk),
  });
  rows.push({
    figure: 'push p50, empty → full feed (small id)',
    value: `${fixed(scale.pushStart, 0)} → ${fixed(scale.pushEnd, 0)} ms`,
    goal: 'stays fast',
    status: scale.pushesOk ? `${ratio(scale.pushEnd / scale.pushStart)}` : 'pushes failed',
  });
  rows.push({
    figure: `push p50, new version of the ${scale.bigVersions}-version id`,
    value: `${fixed(scale.bigPushEnd, 0)} ms`,
    goal: 'stays fast',
    status: '',
  });
}
if (push) {
  // "Not growing": from the middle to the largest size, growth rises by < 1/4 of the size difference.
  const bounded = (list) => {
    const [mid, large] = list.slice(-2);
    return large.growth - mid.growth < 0.25 * (large.sizeMb - mid.sizeMb);
  };
  const excess = push.rows.map((r, i) => ({ ...r, growth: r.growth - (push.reference[i]?.growth ?? NaN) }));
  const sizes = push.rows.map((r) => `${fixed(r.sizeMb, 0)}`).join(' / ');
  const growths = (list) => `${list.map((r) => fixed(r.growth, 0)).join(' / ')} MB`;
  const verdict = (list) => (push.ok ? (bounded(list) ? 'met (bounded)' : 'NOT met') : 'pushes failed');
  rows.push({
    figure: `push peak memory growth, runtime, ${sizes} MB packages`,
    value: growths(push.rows),
    goal: 'not growing with size',
    status: verdict(push.rows),
  });
  if (push.reference.length > 0) {
    rows.push({
      figure: 'same, reference Worker: body → R2 put only',
      value: growths(push.reference),
      goal: 'reference',
      status: '',
    });
    rows.push({
      figure: "EdgeGet minus reference (the Worker's own share)",
      value: growths(excess),
      goal: 'not growing with size',
      status: verdict(excess),
    });
  }
}
if (pushscale) rows.push(...pushScaleGoals(pushscale, goal));
if (cost) rows.push(...costGoals(cost, goal));
if (rows.length > 0) printTable('Summary', ['figure', 'value', 'goal', 'status'], rows);
console.log(
  `\nload average at the end ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} (other work on this machine skews every figure)`,
);
if (errors.length > 0) console.log(`\nsections that could not run: ${errors.join(', ')}`);
process.exit(errors.length > 0 ? 1 : 0);
