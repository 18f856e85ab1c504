/**
 * Runtime CPU per request: CPU time of the wrangler dev group's workerd runtime process (the one
 * running the Worker and the local D1/R2/KV simulators, bench/lib/procs.mjs) over requests sent
 * one at a time, in the scheduler's nanoseconds (schedstat). On a shared machine the figure moves
 * with what else runs (caches, frequency): compare only figures measured close together.
 */
import http from 'node:http';
import { cpuNs, runtimePid } from './procs.mjs';

/** Lets work a response left behind (ctx.waitUntil: cache puts, download counts) finish inside the window. */
const SETTLE_MS = 150;

/** worker.pgid → its runtime's pid. */
const pids = new Map();
/**
 * The runtime's CPU ms so far. wrangler dev sometimes restarts its runtime (a new process, CPU from
 * zero): then this finds the new one and answers NaN once, so the window across the restart is void.
 */
function runtimeMs(worker) {
  const ms = cpuNs(pids.get(worker.pgid) ?? 0) / 1e6;
  if (Number.isFinite(ms)) return ms;
  const pid = runtimePid(worker.pgid);
  if (pid === null) throw new Error(`no workerd runtime in process group ${worker.pgid}`);
  const first = !pids.has(worker.pgid);
  pids.set(worker.pgid, pid);
  return first ? cpuNs(pid) / 1e6 : NaN;
}

/** Runtime CPU ms that `fn` costs (awaited, then `settleMs`), with fn's value. */
export async function runtimeCpu(worker, fn, settleMs = SETTLE_MS) {
  const before = runtimeMs(worker);
  const value = await fn();
  await new Promise((done) => setTimeout(done, settleMs));
  return { value, cpuMs: runtimeMs(worker) - before };
}

/** One GET without decompression on a kept-alive socket; the body is read whole. */
export function get(url, headers, agent) {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers, agent }, (response) => {
      let bytes = 0;
      response.on('data', (chunk) => {
        bytes += chunk.length;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, bytes }));
      response.on('error', reject);
    });
    request.on('error', reject);
  });
}

/**
 * GETs `urls` one at a time → { requests, failed, cpuMs, perRequest, bytes }: runtime CPU per request.
 * A status other than `expect` counts as failed (its CPU stays in the total). `settleMs`: how long
 * work left to ctx.waitUntil may take to land in the window.
 */
export async function getCpu(worker, urls, { headers = {}, expect = 200, settleMs = SETTLE_MS } = {}) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  let failed = 0;
  let bytes = 0;
  const { cpuMs } = await runtimeCpu(
    worker,
    async () => {
      for (const url of urls) {
        const response = await get(url, headers, agent);
        if (response.status !== expect) failed++;
        bytes += response.bytes;
      }
    },
    settleMs,
  );
  agent.destroy();
  return { requests: urls.length, failed, cpuMs, perRequest: cpuMs / urls.length, bytes };
}

/**
 * The same for several Workers at once, one request each in turn (a, b, c, a, b, c, ...), so that
 * whatever else runs on the machine falls on all of them alike. Each runtime's CPU is read after
 * each of its responses, so the windows of one runtime join up: work a response left behind is in
 * the next window. `targets`: [{ worker, url, headers? }]. Returns per target { perRequest, blocks:
 * per-request CPU in each block of `block` turns, failed } (compare blocks pairwise: same time span).
 */
export async function interleavedCpu(targets, { turns, block = 50, expect = 200 }) {
  const agents = targets.map(() => new http.Agent({ keepAlive: true, maxSockets: 1 }));
  const state = targets.map((target) => ({ blockStart: runtimeMs(target.worker), blocks: [], failed: 0 }));
  const last = state.map((s) => s.blockStart);
  for (let turn = 1; turn <= turns; turn++) {
    for (const [i, target] of targets.entries()) {
      const response = await get(target.url, target.headers ?? {}, agents[i]);
      if (response.status !== expect) state[i].failed++;
      last[i] = runtimeMs(target.worker);
    }
    if (turn % block === 0 || turn === turns) {
      const size = turn % block === 0 ? block : turn % block;
      for (const [i, s] of state.entries()) {
        s.blocks.push((last[i] - s.blockStart) / size);
        s.blockStart = last[i];
      }
    }
  }
  for (const agent of agents) agent.destroy();
  // Over whole blocks: one voided by a runtime restart (NaN) drops out.
  const mean = (list) => list.filter(Number.isFinite).reduce((sum, x, _, all) => sum + x / all.length, 0);
  return state.map((s) => ({ perRequest: mean(s.blocks), blocks: s.blocks, failed: s.failed }));
}

/** The median and quartiles of the blockwise differences a − b (as interleavedCpu measured them). */
export function pairedDifference(a, b) {
  const d = a.blocks
    .map((x, i) => x - (b.blocks[i] ?? NaN))
    .filter(Number.isFinite)
    .sort((x, y) => x - y);
  const at = (p) => d[Math.round(p * (d.length - 1))] ?? NaN;
  return { median: at(0.5), q1: at(0.25), q3: at(0.75), mean: a.perRequest - b.perRequest };
}
