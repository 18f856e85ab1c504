/**
 * The bench's reference Workers: a few lines of JavaScript with their own tiny wrangler config in a
 * temp dir, served by the same kind of `wrangler dev` as EdgeGet (same wrangler, workerd, flags and
 * compatibility date), so that a figure next to EdgeGet's separates what the local runtime and its
 * simulators cost by themselves from what EdgeGet adds.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startInFolder, startWorker, WORKER_ARGS } from './worker.mjs';

/** wrangler.toml's, so that the runtime behaves alike. */
const COMPATIBILITY_DATE = '2026-04-01';

/** Bindings a reference may ask for, as TOML. */
export const R2_BINDING = '[[r2_buckets]]\nbinding = "BLOBS"\nbucket_name = "bench"\n';
export const D1_BINDING = '[[d1_databases]]\nbinding = "DB"\ndatabase_name = "bench"\n';

/**
 * `wrangler dev` of the module `source` (its default export answers GET / once it is up).
 * `bindings`: TOML appended to the config. stop() removes the temp dir with its local storage.
 */
export async function startReferenceWorker(name, source, { bindings = '' } = {}) {
  const dir = mkdtempSync(join(tmpdir(), `edgeget-bench-${name}-`));
  writeFileSync(join(dir, `${name}.js`), source);
  writeFileSync(
    join(dir, `${name}.toml`),
    `name = "${name}"\nmain = "${name}.js"\ncompatibility_date = "${COMPATIBILITY_DATE}"\n${bindings}`,
  );
  mkdirSync(join(dir, 'state'));
  return startInFolder(dir, () =>
    startWorker(join(dir, 'state'), [...WORKER_ARGS, '--config', join(dir, `${name}.toml`)], { cwd: dir, ready: '/' }),
  );
}

/** A constant JSON body and nothing else: the runtime's own cost of one request. */
export const CONSTANT_BODY = '{"version":"3.0.0","resources":[]}';
export const startConstantWorker = () =>
  startReferenceWorker(
    'constant',
    `const body = '${CONSTANT_BODY}';
export default { fetch: () => new Response(body, { headers: { 'Content-Type': 'application/json' } }) };\n`,
  );

/**
 * One R2 get, the body streamed back: the floor of a .nupkg download. PUT stores the request body
 * at the path (to load it with the same bytes as EdgeGet's).
 */
export const startR2GetWorker = () =>
  startReferenceWorker(
    'r2get',
    `export default {
  async fetch(request, env) {
    const key = new URL(request.url).pathname;
    if (request.method === 'PUT') {
      await env.BLOBS.put(key, request.body);
      return new Response(null, { status: 201 });
    }
    if (key === '/') return new Response('ok');
    const object = await env.BLOBS.get(key);
    if (!object) return new Response(null, { status: 404 });
    return new Response(object.body, { headers: { 'Content-Type': 'application/octet-stream' } });
  },
};\n`,
    { bindings: R2_BINDING },
  );

/**
 * The irreducible work of a push: the request body streamed into one R2 put, then one D1 insert
 * of a row naming it. POST /setup creates the table (once, before timing).
 */
export const startPushFloorWorker = () =>
  startReferenceWorker(
    'pushfloor',
    `export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    if (request.method === 'POST' && pathname === '/setup') {
      await env.DB.prepare('CREATE TABLE IF NOT EXISTS pushes (key TEXT PRIMARY KEY, size INTEGER NOT NULL, created TEXT NOT NULL)').run();
      return new Response('ok');
    }
    if (request.method !== 'PUT') return new Response('ok');
    const key = 'packages/' + crypto.randomUUID();
    const object = await env.BLOBS.put(key, request.body);
    await env.DB.prepare('INSERT INTO pushes (key, size, created) VALUES (?, ?, ?)')
      .bind(key, object.size, new Date().toISOString())
      .run();
    return new Response(null, { status: 201 });
  },
};\n`,
    { bindings: R2_BINDING + D1_BINDING },
  );
