/**
 * Summary rows of the issue-12 goals (sections pushscale and cost) for bench/run.mjs; `goal`
 * turns a verdict (true, false, undefined) into the status text.
 */
import { fixed, ratio } from './lib/table.mjs';

const count = (n) => n.toLocaleString('en-US');

export function pushScaleGoals(scale, goal) {
  const [one, thousand, big] = scale.rows;
  const failed = scale.ok ? undefined : 'pushes failed';
  return [
    {
      figure: `push p50, id with ${count(big.size)} versions / id with ${count(one.size)} version`,
      value: `${fixed(big.p50, 0)} / ${fixed(one.p50, 0)} ms = ${ratio(scale.p50Ratio)}`,
      goal: '≤ 1.25×',
      status: failed ?? goal(scale.p50Ratio <= 1.25),
    },
    {
      // An id of at most 127 versions has its pages inlined in the indexes: no page documents to write.
      figure: `KV writes per push, ids of ${scale.rows.map((r) => count(r.size)).join(' / ')} versions (median)`,
      value: scale.kvWrites.join(' / '),
      goal: 'same at 1,000 and 5,000',
      status: failed ?? goal(big.kvWrites === thousand.kvWrites && one.kvWrites <= thousand.kvWrites),
    },
    {
      figure: `D1 rows read per push: growth per existing version, ${count(thousand.size)} → ${count(big.size)}`,
      value: `${fixed(scale.rowsReadSlope, 2)} rows (${count(thousand.rowsRead)} → ${count(big.rowsRead)})`,
      goal: '≤ 1.05: the flat list, and a summary row per page',
      status: failed ?? goal(scale.rowsReadSlope <= 1.05),
    },
    {
      figure: `push p50, id with ${count(one.size)} version / reference (one R2 put + one D1 insert)`,
      value: ratio(scale.referenceRatio),
      goal: '≤ 2×',
      status: failed ?? goal(scale.referenceRatio <= 2),
    },
  ];
}

export function costGoals(cost, goal) {
  const { download } = cost;
  const byEndpoint = (endpoint, cache) =>
    cost.rows.find((r) => r.endpoint.startsWith(endpoint) && r.cache.startsWith(cache));
  const dollars = (row) => (row ? `$${fixed(row.cost.total, 2)}` : 'n/a');
  return [
    {
      figure: 'nupkg download runtime CPU, EdgeGet − one R2 get',
      value: `${fixed(download.difference, 3)} ms (${fixed(download.edge, 3)} vs ${fixed(download.reference, 3)})`,
      goal: '≤ 0.05 ms',
      status: download.ok ? goal(download.difference <= 0.05) : 'downloads failed',
    },
    {
      figure: 'USD per million: nupkg downloads / flat index cold, warm / pushes',
      value: [
        byEndpoint('nupkg download', 'not cached, again'),
        byEndpoint('flat index', 'cold'),
        byEndpoint('flat index', 'warm'),
        byEndpoint('push', 'not cached'),
      ]
        .map(dollars)
        .join(' / '),
      goal: 'reference',
      status: '',
    },
  ];
}
