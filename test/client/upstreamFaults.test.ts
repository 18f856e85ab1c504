/**
 * The pull-through upstream's freshness, single downloads, failures and the admin's switch from
 * upstream to local (issue 17), against two real feeds with a real relay between them that counts
 * the upstream's requests and can fail or hang (devkit/relay.mjs).
 */
import { describe, expect, it } from 'vitest';
import { startFeed } from '../../devkit/feed.mjs';
import { buildNupkg } from '../../devkit/nupkg.mjs';
import { edgeget } from './harness/cli';
import { flatVersions } from './harness/feedHttp';
import { getFrom, pushBytes, pushGenerated, useUpstreamFeeds } from './harness/upstreamFeeds';

const TTL_SECONDS = 2;
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

describe('pull-through upstream: freshness, downloads, failures, forget', () => {
  const feeds = useUpstreamFeeds('upstream-faults', {
    UPSTREAM_VERSIONS_TTL: String(TTL_SECONDS),
    UPSTREAM_TIMEOUT: '2',
  });
  const admin = () => ['--url', feeds.downstream.origin, '--admin-key', feeds.downstream.apiKey];

  it('picks up a new upstream version once the cached list is older than the TTL', async () => {
    const { upstream, downstream, relay } = feeds;
    await pushGenerated(upstream, { id: 'Fresh.Lib', version: '1.0.0' });
    expect(await flatVersions(downstream, 'Fresh.Lib')).toEqual(['1.0.0']);
    const fetched = relay.requests('/v3/flat/fresh.lib/index.json');
    // Through the relay: the upstream purges its own edge-cached list at the origin the push came through.
    await pushGenerated({ ...upstream, origin: relay.origin }, { id: 'Fresh.Lib', version: '1.1.0' });
    // Within the TTL the cached list is served without asking the upstream.
    expect(await flatVersions(downstream, 'Fresh.Lib')).toEqual(['1.0.0']);
    expect(relay.requests('/v3/flat/fresh.lib/index.json')).toBe(fetched);
    await sleep(TTL_SECONDS * 1000 + 500);
    expect(await flatVersions(downstream, 'Fresh.Lib')).toEqual(['1.0.0', '1.1.0']);
    expect(relay.requests('/v3/flat/fresh.lib/index.json')).toBe(fetched + 1);
  });

  it('downloads a package from the upstream once, however many clients ask for it at the same time', async () => {
    const { upstream, downstream, relay } = feeds;
    const original = await pushGenerated(upstream, { id: 'Big.Lib', version: '1.0.0', payloadBytes: 3_000_000 });
    expect(await flatVersions(downstream, 'Big.Lib')).toEqual(['1.0.0']);
    const path = '/v3/flat/big.lib/1.0.0/big.lib.1.0.0.nupkg';
    const bodies = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const response = await getFrom(downstream, path);
        expect(response.status).toBe(200);
        return Buffer.from(await response.arrayBuffer());
      }),
    );
    for (const body of bodies) expect(Buffer.compare(body, Buffer.from(original))).toBe(0);
    expect(relay.requests('big.lib.1.0.0.nupkg')).toBe(1);
    // Served from R2 for ever after, ranges included.
    const range = await getFrom(downstream, path, { headers: { Range: 'bytes=0-9' } });
    expect(range.status).toBe(206);
    expect(Buffer.compare(Buffer.from(await range.arrayBuffer()), Buffer.from(original.subarray(0, 10)))).toBe(0);
    expect(relay.requests('big.lib.1.0.0.nupkg')).toBe(1);
    expect((await getFrom(downstream, '/v3/flat/big.lib/9.9.9/big.lib.9.9.9.nupkg')).status).toBe(404);
  });

  it('refuses a push of an id cached from the upstream until the admin forgets it', async () => {
    const { upstream, downstream } = feeds;
    await pushGenerated(upstream, { id: 'Switch.Lib', version: '5.0.0' });
    expect(await flatVersions(downstream, 'Switch.Lib')).toEqual(['5.0.0']);
    expect((await getFrom(downstream, '/v3/flat/switch.lib/5.0.0/switch.lib.5.0.0.nupkg')).status).toBe(200);
    const local = buildNupkg({ id: 'Switch.Lib', version: '1.0.0' });
    const refused = await pushBytes(downstream, local);
    expect(refused.status).toBe(409);
    expect(refused.headers.get('X-NuGet-Warning')).toContain('npx edgeget upstream forget Switch.Lib');

    const status = await edgeget(['upstream', 'status', ...admin()]);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/switch\.lib\s+[\d.]+ K?B\s+1 file /);
    const forgot = await edgeget(['upstream', 'forget', 'Switch.Lib', ...admin()]);
    expect(forgot.code, forgot.stderr).toBe(0);
    expect(forgot.stdout).toContain('Switch.Lib');
    expect((await edgeget(['upstream', 'forget', 'Switch.Lib', ...admin()])).stderr).toContain('not cached');

    expect((await pushBytes(downstream, local)).status).toBe(201);
    expect(await flatVersions(downstream, 'Switch.Lib')).toEqual(['1.0.0']);
    expect((await getFrom(downstream, '/v3/flat/switch.lib/5.0.0/switch.lib.5.0.0.nupkg')).status).toBe(404);
  });

  it('keeps a private downstream private for upstream ids too', async () => {
    const privateFeed = await startFeed({
      apiKey: 'private-key',
      vars: { PRIVATE_FEED: 'true', UPSTREAM_URL: feeds.relay.source },
    });
    try {
      const path = '/v3/flat/fresh.lib/index.json';
      const before = feeds.relay.requests(path);
      const anonymous = await getFrom(privateFeed, path);
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('WWW-Authenticate')).toMatch(/^Basic/);
      expect(feeds.relay.requests(path)).toBe(before);
      const authorization = `Basic ${Buffer.from('any:private-key').toString('base64')}`;
      const allowed = await getFrom(privateFeed, path, { headers: { Authorization: authorization } });
      expect(allowed.status).toBe(200);
      expect(((await allowed.json()) as { versions: string[] }).versions).toContain('1.1.0');
    } finally {
      await privateFeed.stop();
    }
  });

  it('answers 504 for a hanging upstream with nothing cached, and serves a stale list meanwhile', async () => {
    const { upstream, downstream, relay } = feeds;
    await pushGenerated(upstream, { id: 'Never.Seen', version: '1.0.0' });
    relay.setMode('hang');
    await sleep(TTL_SECONDS * 1000 + 500);
    const timedOut = await getFrom(downstream, '/v3/flat/never.seen/index.json');
    expect(timedOut.status).toBe(504);
    expect(timedOut.statusText).toContain(relay.source);
    expect(timedOut.statusText).toContain('did not answer within 2 s');
    const stale = await getFrom(downstream, '/v3/flat/fresh.lib/index.json');
    expect(stale.status).toBe(200);
    expect(((await stale.json()) as { versions: string[] }).versions).toEqual(['1.0.0', '1.1.0']);
  });

  it('answers 502 naming the upstream when it fails with nothing cached, serves stale lists, and then stops asking', async () => {
    const { downstream, relay } = feeds;
    relay.setMode('fail');
    const failed = await getFrom(downstream, '/v3/flat/never.seen/index.json');
    expect(failed.status).toBe(502);
    expect(failed.statusText).toContain(relay.source);
    expect((await getFrom(downstream, '/v3/flat/big.lib/index.json')).status).toBe(200);
    // Five failures in a row open the breaker: then the upstream is not asked until the cool-down ends.
    for (let i = 0; i < 5; i++) await getFrom(downstream, `/v3/flat/never.seen.${i}/index.json`);
    const asked = relay.requests();
    const refused = await getFrom(downstream, '/v3/flat/never.seen.again/index.json');
    expect(refused.status).toBe(502);
    expect(refused.statusText).toMatch(/is failing \(\d+ errors in a row\); it is tried again after/);
    expect((await getFrom(downstream, '/v3/flat/fresh.lib/index.json')).status).toBe(200);
    expect(relay.requests()).toBe(asked);
    const status = await edgeget(['upstream', 'status', ...admin()]);
    expect(status.stdout).toContain('answered 500');
    expect(status.stdout).toMatch(/breaker: open/);
  });
});
