/**
 * `npm run dev` as users start it: a port from `-- --port N` or from PORT, the banner naming the real
 * URL, and the CLI reaching that server through PORT or EDGEGET_URL with the dev key by default.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { edgeget } from '../client/harness/cli';
import { type Feed, freePort, launchFeed, wranglerEnv } from '../../devkit/feed.mjs';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const started: Feed[] = [];
afterAll(async () => {
  await Promise.all(started.map((feed) => feed.stop()));
});

/** `npm run dev [-- args]` with `env`, on fresh local storage; resolves once it serves. */
async function npmRunDev(port: number, args: string[], env: Record<string, string> = {}, ready = [200]): Promise<Feed> {
  const persistTo = mkdtempSync(join(tmpdir(), 'edgeget-dev-'));
  const { NUGET_API_KEY: _key, PORT: _port, ...inherited } = wranglerEnv;
  const command = [npm, 'run', 'dev', '--', ...args, '--persist-to', persistTo];
  const feed = await launchFeed(command, {
    origin: `http://127.0.0.1:${port}`,
    apiKey: 'local-dev-key',
    ready,
    cleanup: () => rmSync(persistTo, { recursive: true, force: true }),
    env: { ...inherited, ...env },
  });
  started.push(feed);
  return feed;
}

describe('npm run dev', () => {
  it('takes the port as `npm run dev -- --port N`, and the CLI reaches it with PORT and the dev key', async () => {
    const port = await freePort();
    const feed = await npmRunDev(port, ['--port', String(port)]);
    expect(feed.logs()).toContain(`EdgeGet local feed: http://127.0.0.1:${port}/v3/index.json`);
    const index = (await (await fetch(feed.source)).json()) as { resources: { '@id': string }[] };
    expect(index.resources.every((r) => r['@id'].startsWith(`${feed.origin}/`))).toBe(true);

    const created = await edgeget(['keys', 'create', '--name', 'ci', '--scopes', 'push'], { PORT: String(port) });
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/^Created ci \[\w+\] active: push on \*$/m);
    expect(created.stdout).toMatch(/^\s+eg_\S+$/m);
    const listed = await edgeget(['keys', 'list'], { EDGEGET_URL: feed.origin });
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/^ci \[\w+\] active: push on \*$/m);
    const rebuilt = await edgeget(['rebuild-pages'], { PORT: String(port) });
    expect(rebuilt.stdout).toContain('Rebuilt the pages of 0 ids.');
    const wrongKey = await edgeget(['keys', 'list', '--admin-key', 'not-the-key'], { PORT: String(port) });
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr).toMatch(/answered 40[13]: .*Check --admin-key \/ NUGET_API_KEY\./);
    const revoked = await edgeget(['keys', 'revoke', 'ci'], { PORT: String(port) });
    expect(revoked.stdout).toMatch(/^Revoked ci \[\w+\] revoked/m);
  });

  it('takes the port from PORT, and vars as `--var NAME:VALUE`', async () => {
    const port = await freePort();
    const feed = await npmRunDev(port, ['--var', 'PRIVATE_FEED:true'], { PORT: String(port) }, [401]);
    expect(feed.logs()).toContain(`EdgeGet local feed: http://127.0.0.1:${port}/v3/index.json`);
    const anonymous = await fetch(feed.source);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('WWW-Authenticate')).toMatch(/^Basic /);
    const authorization = `Basic ${Buffer.from(`any:${feed.apiKey}`).toString('base64')}`;
    expect((await fetch(feed.source, { headers: { Authorization: authorization } })).status).toBe(200);
  });
});
