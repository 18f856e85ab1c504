/**
 * A small closed-loop HTTP load generator: `concurrency` loops, each sending its next request as
 * soon as the previous response body has been read, for `durationMs` (and at most `maxRequests`).
 * Keep-alive sockets, no decompression: every target gets exactly the same client.
 */
import http from 'node:http';

/** GET without decompression → { status, headers, body: Buffer }. */
export function getRaw(url, headers = {}, agent = undefined) {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers, agent }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks) }),
      );
      response.on('error', reject);
    });
    request.on('error', reject);
  });
}

/** Percentile (0..100) of an ascending array, nearest-rank. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** Runs the loop once; returns { requests, errors, rps, p50, p99, bytes }. Latencies in ms. */
export async function runLoad(url, { concurrency = 8, durationMs = 5000, maxRequests = 200_000, headers = {} } = {}) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies = [];
  let errors = 0;
  let bytes = 0;
  let sent = 0;
  const started = performance.now();
  const deadline = started + durationMs;
  const loop = async () => {
    while (performance.now() < deadline && sent < maxRequests) {
      sent++;
      const t0 = performance.now();
      try {
        const response = await getRaw(url, headers, agent);
        if (response.status !== 200) errors++;
        else latencies.push(performance.now() - t0);
        bytes += response.body.length;
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    errors,
    rps: latencies.length / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    bytes,
  };
}

/** Sequential timings of `count` GETs (one at a time) → sorted latencies in ms. */
export async function timeSequential(urls, headers = {}) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const latencies = [];
  let errors = 0;
  for (const url of urls) {
    const t0 = performance.now();
    const response = await getRaw(url, headers, agent);
    if (response.status === 200) latencies.push(performance.now() - t0);
    else errors++;
  }
  agent.destroy();
  return { latencies: latencies.sort((a, b) => a - b), errors };
}
