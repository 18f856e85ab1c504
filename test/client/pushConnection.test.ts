/**
 * Issue 11 item 8: a push refused before (or while) its body is read must leave its keep-alive
 * connection usable. A refusal that cancels the request body instead of reading it to its end
 * leaves unread bytes on the socket: `wrangler dev` then answers the next request on that socket
 * with 503 "Your worker restarted mid-request" or resets it. Driven against a real `wrangler dev`
 * with node's http module and a keep-alive Agent limited to one socket, so every request of a
 * test shares one connection. Needs no dotnet.
 */
import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Feed, startFeed } from '../../devkit/feed.mjs';

let feed: Feed;

beforeAll(async () => {
  // A small package limit, so that a 413 takes little to send.
  feed = await startFeed({ vars: { MAX_PACKAGE_BYTES: '60000' } });
});

afterAll(async () => {
  await feed?.stop();
});

interface Answer {
  status: number;
  body: string;
  socket: unknown;
}

function send(agent: Agent, method: string, path: string, headers: Record<string, string>, body?: Uint8Array) {
  return new Promise<Answer>((resolve, reject) => {
    const req = request(`${feed.origin}${path}`, { method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), socket: req.socket }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const x70k = new TextEncoder().encode('x'.repeat(70 * 1024));

function multipart(content: Uint8Array): Uint8Array {
  const head = new TextEncoder().encode('--bb\r\nContent-Type: application/octet-stream\r\n\r\n');
  const tail = new TextEncoder().encode('\r\n--bb--\r\n');
  return new Uint8Array([...head, ...content, ...tail]);
}

const refusals: [name: string, status: number, headers: (key: string) => Record<string, string>, body: Uint8Array][] = [
  [
    'multipart with 70 KB of no delimiter (400 while reading)',
    400,
    (key) => ({ 'Content-Type': 'multipart/form-data; boundary="bb"', 'X-NuGet-ApiKey': key }),
    x70k,
  ],
  [
    'not multipart (400 before reading)',
    400,
    (key) => ({ 'Content-Type': 'application/octet-stream', 'X-NuGet-ApiKey': key }),
    x70k,
  ],
  ['no key (401 before reading)', 401, () => ({ 'Content-Type': 'multipart/form-data; boundary="bb"' }), x70k],
  [
    'a package part that is not a zip (400 once read)',
    400,
    (key) => ({ 'Content-Type': 'multipart/form-data; boundary="bb"', 'X-NuGet-ApiKey': key }),
    multipart(new TextEncoder().encode('y'.repeat(20_000))),
  ],
  [
    'a package over MAX_PACKAGE_BYTES (413 part-way)',
    413,
    (key) => ({ 'Content-Type': 'multipart/form-data; boundary="bb"', 'X-NuGet-ApiKey': key }),
    multipart(new TextEncoder().encode('z'.repeat(200_000))),
  ],
];

describe('a refused push on a keep-alive connection', () => {
  for (const path of ['/api/v2/package/', '/api/v2/symbolpackage/']) {
    it.each(refusals)(`${path}: %s leaves the connection usable`, async (_name, status, headers, body) => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      try {
        for (let round = 0; round < 3; round++) {
          const refused = await send(agent, 'PUT', path, headers(feed.apiKey), body);
          expect(refused.status, refused.body).toBe(status);
          const put = await send(agent, 'PUT', path, headers(feed.apiKey), body);
          expect(put.status, put.body).toBe(status);
          expect(put.socket).toBe(refused.socket);
          const get = await send(agent, 'GET', '/v3/index.json', {});
          expect(get.status).toBe(200);
          expect(get.socket).toBe(refused.socket);
        }
      } finally {
        agent.destroy();
      }
    });
  }
});
