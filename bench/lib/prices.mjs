/**
 * What a request costs on Cloudflare, from the storage operations the counted Worker saw
 * (bench/workers/counted.ts) and the runtime CPU measured locally. USD, Workers Paid plan.
 * Prices as published on developers.cloudflare.com, checked 2026-12-01; included monthly
 * allowances ignored (every operation is priced as if the allowance were used up).
 */
export const PRICES_CHECKED = '2026-12-01';

/** USD per operation (or per CPU millisecond, per row). */
export const PRICES = {
  workersRequest: 0.3 / 1e6,
  workersCpuMs: 0.02 / 1e6,
  kvRead: 0.5 / 1e6,
  /** Writes, deletes and lists are priced alike. */
  kvWrite: 5 / 1e6,
  /** Class A: put, list, multipart create/part/complete, copy. */
  r2ClassA: 4.5 / 1e6,
  /** Class B: get, head. Deletes and aborts are free. */
  r2ClassB: 0.36 / 1e6,
  d1RowRead: 0.001 / 1e6,
  d1RowWritten: 1 / 1e6,
  /** Each RPC call on a stub is one request (Durable Objects pricing); duration is not priced here. */
  doRequest: 0.15 / 1e6,
};

/** The price table as rows, for printing next to the costs. */
export const priceRows = () => [
  { item: 'Workers request', price: '$0.30 / M requests' },
  { item: 'Workers CPU time', price: '$0.02 / M CPU-ms' },
  { item: 'KV read', price: '$0.50 / M' },
  { item: 'KV write, delete, list', price: '$5.00 / M' },
  { item: 'R2 Class A (put, list, multipart)', price: '$4.50 / M' },
  { item: 'R2 Class B (get, head)', price: '$0.36 / M' },
  { item: 'D1 rows read', price: '$0.001 / M' },
  { item: 'D1 rows written', price: '$1.00 / M' },
  { item: 'Durable Object request (RPC call)', price: '$0.15 / M' },
];

const R2_CLASS_A = ['put', 'list', 'createMultipartUpload', 'uploadPart', 'complete'];
const R2_CLASS_B = ['get', 'head'];

/**
 * Operations per request from counted tallies ({ calls, d1RowsRead, d1RowsWritten }) over `n`
 * requests: the figures the cost table multiplies.
 */
export function operationsPerRequest(tallies, n) {
  const calls = tallies.calls ?? {};
  const sum = (prefix, methods) => methods.reduce((total, m) => total + (calls[`${prefix}.${m}`] ?? 0), 0);
  const doCalls = Object.entries(calls)
    .filter(([name]) => name.startsWith('DO.'))
    .reduce((total, [, count]) => total + count, 0);
  return {
    kvReads: sum('KV', ['get', 'getWithMetadata']) / n,
    kvLists: sum('KV', ['list']) / n,
    kvWrites: sum('KV', ['put', 'delete']) / n,
    r2ClassA: sum('R2', R2_CLASS_A) / n,
    r2ClassB: sum('R2', R2_CLASS_B) / n,
    r2Free: sum('R2', ['delete', 'abort']) / n,
    d1Queries: (calls['D1.statement'] ?? 0) / n,
    d1RowsRead: (tallies.d1RowsRead ?? 0) / n,
    d1RowsWritten: (tallies.d1RowsWritten ?? 0) / n,
    doCalls: doCalls / n,
  };
}

/** USD per million requests, by part, for operations per request and CPU ms per request. */
export function costPerMillion(ops, cpuMs) {
  const M = 1e6;
  const parts = {
    requests: PRICES.workersRequest * M,
    cpu: cpuMs * PRICES.workersCpuMs * M,
    kv: (ops.kvReads * PRICES.kvRead + (ops.kvWrites + ops.kvLists) * PRICES.kvWrite) * M,
    r2: (ops.r2ClassA * PRICES.r2ClassA + ops.r2ClassB * PRICES.r2ClassB) * M,
    d1: (ops.d1RowsRead * PRICES.d1RowRead + ops.d1RowsWritten * PRICES.d1RowWritten) * M,
    durableObjects: ops.doCalls * PRICES.doRequest * M,
  };
  return { ...parts, total: Object.values(parts).reduce((a, b) => a + b, 0) };
}
