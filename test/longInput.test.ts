/**
 * Issue 11 item 7: ids, versions and page names longer than anything stored answer 404 (reads)
 * or 400 (admin) before storage is touched (KV refuses keys over 512 bytes), and an unexpected
 * error logs a bounded line, not the whole URL.
 */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { Env } from '../src/env';
import worker from '../src/index';
import { captureErrorLog } from './support/errorLog';

const FEED = 'https://feed.test';
const get = (path: string) => exports.default.fetch(new Request(`${FEED}${path}`));

describe('over-long ids, versions and page names', () => {
  const reads = [
    `/v3/flat/${'a'.repeat(520)}/index.json`,
    `/v3/flat/${'a'.repeat(520)}/1.0.0/${'a'.repeat(520)}.1.0.0.nupkg`,
    `/v3/flat/x/${'1'.repeat(600)}/x.nuspec`,
    `/v3/registration/${'a'.repeat(490)}/index.json`,
    `/v3/registration-gz-semver2/${'a'.repeat(490)}/index.json`,
    `/v3/registration/x/page/${'1'.repeat(600)}/2.json`,
    `/v3/registration/x/page/1/${'2'.repeat(600)}.json`,
    `/v3/registration-gz/${'a'.repeat(490)}/1.0.0.json`,
    `/v3/registration/x/${'1'.repeat(600)}.json`,
    `/v3/catalog/data/1/${'a'.repeat(600)}.json`,
    `/packages/${'a'.repeat(600)}/1.0.0`,
  ];
  for (const path of reads) {
    it(`GET ${path.slice(0, 60)}… answers 404`, async () => {
      const response = await get(path);
      expect(response.status).toBe(404);
      await response.body?.cancel();
    });
  }

  it('POST /admin/rebuild-pages with an over-long id or cursor answers 400', async () => {
    for (const query of [`id=${'a'.repeat(600)}`, `after=${'a'.repeat(600)}`]) {
      const response = await exports.default.fetch(
        new Request(`${FEED}/admin/rebuild-pages?${query}`, {
          method: 'POST',
          headers: { 'X-NuGet-ApiKey': 'test-api-key' },
        }),
      );
      expect(response.status, query.slice(0, 10)).toBe(400);
      await response.body?.cancel();
    }
  });

  it('an id of exactly 100 characters is still looked up (404: not on the feed)', async () => {
    const response = await get(`/v3/registration/${'a'.repeat(100)}/index.json`);
    expect(response.status).toBe(404);
    await response.body?.cancel();
  });
});

describe('the unhandled-error log line', () => {
  const logged = captureErrorLog();

  it('names the method and a cut path, never the query or the whole URL', async () => {
    const broken = {
      ...env,
      DB: {
        prepare() {
          throw new Error('D1 is down');
        },
      },
    } as unknown as Env;
    const path = `/v3/catalog/data/1/${'a'.repeat(200)}.json`;
    const ctx = createExecutionContext();
    const response = await worker.fetch(new Request(`${FEED}${path}?${'q'.repeat(10_000)}`), broken, ctx);
    await waitOnExecutionContext(ctx);
    expect(response.status).toBe(500);
    const lines = logged();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^unhandled error GET \/v3\/catalog\/data\/1\/a+… Error: D1 is down$/);
    expect(lines[0]!.length).toBeLessThan(300);
  });
});
