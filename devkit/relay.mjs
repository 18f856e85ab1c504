/**
 * A real HTTP relay in front of a feed, for the pull-through upstream tests: it forwards every
 * request to the feed (keeping the Host header, so the feed's documents name the relay and every
 * later request comes through it too), counts requests by path, and can be switched to answer 500
 * or to hold requests without answering (an upstream that is down, or one that hangs).
 */
import { createServer, request as forward } from 'node:http';

/**
 * @typedef {'pass' | 'fail' | 'hang'} RelayMode
 * @typedef {object} Relay
 * @property {string} origin `http://127.0.0.1:<port>`
 * @property {string} source `{origin}/v3/index.json`: the upstream URL to configure.
 * @property {(part?: string) => number} requests Requests so far whose path contains `part` (all without).
 * @property {(mode: RelayMode) => void} setMode
 * @property {() => Promise<void>} stop
 */

/**
 * @param {string} target The feed's origin, e.g. `http://127.0.0.1:8788`.
 * @returns {Promise<Relay>}
 */
export async function startRelay(target) {
  const to = new URL(target);
  /** @type {string[]} */
  const seen = [];
  /** @type {RelayMode} */
  let mode = 'pass';
  /** @type {Set<import('node:http').ServerResponse>} */
  const held = new Set();
  const server = createServer((incoming, outgoing) => {
    seen.push(incoming.url ?? '');
    if (mode === 'fail') {
      outgoing.writeHead(500, { 'Content-Type': 'text/plain' }).end('relay: failing on purpose');
      incoming.resume();
      return;
    }
    if (mode === 'hang') {
      held.add(outgoing);
      outgoing.once('close', () => held.delete(outgoing));
      incoming.resume();
      return;
    }
    const upstream = forward(
      { host: to.hostname, port: to.port, method: incoming.method, path: incoming.url, headers: incoming.headers },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.headers);
        answer.pipe(outgoing);
      },
    );
    upstream.once('error', (error) => {
      if (!outgoing.headersSent) outgoing.writeHead(502, { 'Content-Type': 'text/plain' });
      outgoing.end(`relay: ${error.message}`);
    });
    incoming.pipe(upstream);
  });
  await new Promise((listening) => server.listen(0, '127.0.0.1', () => listening(undefined)));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    source: `${origin}/v3/index.json`,
    requests: (part = '') => seen.filter((path) => path.includes(part)).length,
    setMode: (next) => {
      mode = next;
      if (next !== 'hang') for (const response of held) response.destroy();
    },
    stop: async () => {
      for (const response of held) response.destroy();
      server.closeAllConnections();
      await new Promise((closed) => server.close(() => closed(undefined)));
    },
  };
}
