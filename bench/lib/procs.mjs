/**
 * Linux /proc readings of the wrangler dev process group (node → wrangler → workerd): CPU time
 * (utime+stime, or the scheduler's nanoseconds for one process) and resident memory (VmRSS, peak VmHWM). Local only; an approximation of what
 * the Worker itself costs, since workerd also runs the local D1/R2/KV simulators.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

export const CLOCK_TICKS_PER_SECOND = 100; // getconf CLK_TCK on Linux x86_64/arm64

function stat(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = text.lastIndexOf(')');
    const comm = text.slice(text.indexOf('(') + 1, close);
    const fields = text.slice(close + 2).split(' '); // fields[0] = state (field 3)
    const start = Number(fields[19]); // field 22: starttime
    return { pid, comm, pgid: Number(fields[2]), utime: Number(fields[11]), stime: Number(fields[12]), start };
  } catch {
    return null;
  }
}

/**
 * Every live process of the group, with a role: `wrangler dev` starts two workerd processes, first
 * its dev proxy (which owns the public port), then the runtime running the Worker and the local
 * D1/R2/KV simulators. Other processes keep their name (node = wrangler, esbuild = its bundler).
 */
export function groupProcesses(pgid) {
  const found = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = stat(Number(name));
    if (s && s.pgid === pgid) found.push(s);
  }
  found.sort((a, b) => a.start - b.start || a.pid - b.pid);
  let workerd = 0;
  for (const p of found) {
    p.role = p.comm === 'workerd' ? (['workerd-proxy', 'workerd-runtime'][workerd++] ?? 'workerd') : p.comm;
  }
  return found;
}

/** CPU milliseconds used so far, per role (summed over the group). */
export function cpuMsByName(pgid) {
  const byName = {};
  for (const p of groupProcesses(pgid)) {
    byName[p.role] = (byName[p.role] ?? 0) + ((p.utime + p.stime) * 1000) / CLOCK_TICKS_PER_SECOND;
  }
  return byName;
}

/** The pid of the group's workerd runtime (see groupProcesses), or null. */
export function runtimePid(pgid) {
  return groupProcesses(pgid).find((p) => p.role === 'workerd-runtime')?.pid ?? null;
}

/**
 * CPU nanoseconds a process's live threads have run (/proc/<pid>/task/<tid>/schedstat, field 1):
 * the scheduler's own accounting, finer than the 10 ms ticks of utime+stime, for short windows.
 * NaN once the process has ended.
 */
export function cpuNs(pid) {
  let tids;
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return NaN; // the process has ended
  }
  let total = 0;
  for (const tid of tids) {
    try {
      total += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return total;
}

function statusKb(pid, field) {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** Resets each process's VmHWM to its current RSS (clear_refs 5; allowed on own processes). */
export function resetPeaks(pgid) {
  let ok = true;
  for (const p of groupProcesses(pgid)) {
    try {
      writeFileSync(`/proc/${p.pid}/clear_refs`, '5');
    } catch {
      ok = false;
    }
  }
  return ok;
}

/** Current RSS and peak (VmHWM) in MB, per role, summed over the group. */
export function memoryByName(pgid) {
  const byName = {};
  for (const p of groupProcesses(pgid)) {
    byName[p.role] ??= { rssMb: 0, hwmMb: 0 };
    const entry = byName[p.role];
    entry.rssMb += statusKb(p.pid, 'VmRSS') / 1024;
    entry.hwmMb += statusKb(p.pid, 'VmHWM') / 1024;
  }
  return byName;
}

/** Samples summed RSS per role every `everyMs` until stop(); stop() returns the highest sums. */
export function sampleRss(pgid, everyMs = 20) {
  const peak = {};
  const tick = () => {
    for (const [name, m] of Object.entries(memoryByName(pgid))) peak[name] = Math.max(peak[name] ?? 0, m.rssMb);
  };
  tick();
  const timer = setInterval(tick, everyMs);
  return {
    stop() {
      clearInterval(timer);
      tick();
      return peak;
    },
  };
}
