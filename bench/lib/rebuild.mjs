/** Drives POST /admin/rebuild-pages (src/routes/admin.ts) for the scale section. */
import { groupProcesses } from './procs.mjs';
import { fixed } from './table.mjs';
import { API_KEY } from './worker.mjs';

/**
 * POST /admin/rebuild-pages following the cursor, for at most `budgetMs` (0 = no limit): locally
 * each id costs several simulated D1/KV operations (~40 ms here), so 10,000 ids take minutes, and
 * concurrent cursors do not help (one runtime thread). Returns what it got through.
 */
export async function rebuildAll(worker, budgetMs) {
  const started = performance.now();
  let after = '';
  let calls = 0;
  let checked = 0;
  let retries = 0;
  for (;;) {
    const query = new URLSearchParams({ limit: '100', ...(after ? { after } : {}) });
    const t0 = performance.now();
    const response = await adminPost(worker, query);
    if (response.status === 503 && retries < 3) {
      // "Your worker restarted mid-request": wrangler dev reloaded the runtime; the call is idempotent.
      retries++;
      const pids = groupProcesses(worker.pgid)
        .filter((p) => p.comm === 'workerd')
        .map((p) => p.pid);
      console.log(
        `  rebuild call ${calls + 1} answered 503 after ${fixed((performance.now() - t0) / 1000, 1)} s ` +
          `(${(await response.text()).slice(0, 40)}…; workerd pids now ${pids.join(', ')}); retrying`,
      );
      continue;
    }
    if (!response.ok)
      throw new Error(
        `rebuild-pages answered ${response.status}: ${await response.text()}\n${worker.logs().slice(-4000)}`,
      );
    const result = await response.json();
    calls++;
    checked += result.checked;
    const done = (complete) => ({ calls, checked, complete, retries, ms: performance.now() - started });
    if (result.next === null) return done(true);
    after = result.next;
    if (budgetMs > 0 && performance.now() - started > budgetMs) return done(false);
  }
}

function adminPost(worker, query) {
  return fetch(`${worker.origin}/admin/rebuild-pages?${query}`, {
    method: 'POST',
    headers: { 'X-NuGet-ApiKey': API_KEY },
  });
}

export async function rebuildOne(worker, id) {
  for (let attempt = 1; ; attempt++) {
    const response = await adminPost(worker, new URLSearchParams({ id }));
    if (response.ok) return;
    if (response.status !== 503 || attempt >= 3) throw new Error(`rebuild-pages?id=${id} answered ${response.status}`);
  }
}
