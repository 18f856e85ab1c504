/**
 * The static reference server, run as a child process (its own event loop, like workerd has):
 * `node staticServer.mjs <manifest.json>` serves each manifest entry's file from memory with the
 * recorded headers, on 127.0.0.1 at a free port, and prints `listening <port>`.
 * Manifest: { "<path?query>": { "file": "<abs path>", "headers": { ... } } }.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';

const manifest = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const routes = new Map();
for (const [path, entry] of Object.entries(manifest)) {
  const body = readFileSync(entry.file);
  routes.set(path, { body, headers: { ...entry.headers, 'content-length': String(body.length) } });
}

const server = http.createServer((request, response) => {
  const route = routes.get(request.url);
  if (!route) {
    response.writeHead(404).end();
    return;
  }
  response.writeHead(200, route.headers);
  response.end(route.body);
});
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => console.log(`listening ${server.address().port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
