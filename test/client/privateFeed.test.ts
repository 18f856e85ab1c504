/**
 * A private feed (PRIVATE_FEED=true) with the real client: restore with a read token in NuGet.Config's
 * packageSourceCredentials, failing cleanly without it, and push with an API key. Keys are made with
 * the project's own CLI (npx edgeget keys), as docs/auth.md tells users to.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keysCli } from './harness/cli';
import { describeRun, hasDotnet } from './harness/dotnet';
import { startFeed, type Feed } from '../../devkit/feed.mjs';
import { createPacker, writeConsumer, type Packer } from './harness/projects';
import { createWorkspace, nugetConfigXml, SOURCE_NAME, type Workspace } from './harness/workspace';

const ID = 'EdgeGet.Client.Private';

async function createSecret(feed: Feed, args: string[]): Promise<string> {
  const result = await keysCli(feed, ['create', ...args, '--json']);
  expect(result.code, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as { key: string }).key;
}

/** A NuGet.Config for the feed; with a password, packageSourceCredentials the way §11.8 shows them. */
function writeConfig(dir: string, feed: Feed, password?: string): string {
  const credentials =
    password === undefined
      ? ''
      : `
  <packageSourceCredentials>
    <${SOURCE_NAME}>
      <add key="Username" value="ci" />
      <add key="ClearTextPassword" value="${password}" />
      <add key="ValidAuthenticationTypes" value="basic" />
    </${SOURCE_NAME}>
  </packageSourceCredentials>`;
  const path = join(dir, 'NuGet.Config');
  writeFileSync(path, nugetConfigXml(feed.source, credentials));
  return path;
}

describe.skipIf(!hasDotnet)('a private feed with the real client', () => {
  let feed: Feed;
  let ws: Workspace;
  let packer: Packer;
  let readToken = '';
  let pushKey = '';
  let file = '';
  const configs = { anonymous: '', reader: '', pusher: '' };

  beforeAll(async () => {
    feed = await startFeed({ apiKey: 'client-admin-key', vars: { PRIVATE_FEED: 'true' } });
    ws = createWorkspace(feed, 'private');
    packer = createPacker(ws);
    readToken = await createSecret(feed, ['--read', '--name', 'restore-agents']);
    pushKey = await createSecret(feed, ['--name', 'ci', '--scopes', 'push,push-version', '--ids', 'EdgeGet.Client.*']);
    configs.anonymous = writeConfig(ws.dir('anonymous'), feed);
    configs.reader = writeConfig(ws.dir('reader'), feed, readToken);
    // The client reads the service index before it pushes: the API key doubles as the Basic password.
    configs.pusher = writeConfig(ws.dir('pusher'), feed, pushKey);
    file = (await packer.pack({ id: ID, version: '1.0.0' }))[0]!;
  });
  afterAll(async () => {
    await feed?.stop();
    ws?.dispose();
  });

  it('challenges anonymous reads with 401 and WWW-Authenticate: Basic', async () => {
    const response = await fetch(feed.source);
    expect(response.status).toBe(401);
    expect(response.headers.get('WWW-Authenticate')).toMatch(/^Basic realm="EdgeGet"/);
  });

  it('refuses a push when NuGet.Config has no credentials for the feed', async () => {
    const result = await ws.run([
      'nuget',
      'push',
      file,
      '--source',
      SOURCE_NAME,
      '--api-key',
      pushKey,
      '--configfile',
      configs.anonymous,
    ]);
    expect(result.code, describeRun(result)).not.toBe(0);
    expect(result.output).toMatch(/401/);
  });

  it('pushes with the API key once NuGet.Config gives the feed credentials', async () => {
    const result = await ws.run([
      'nuget',
      'push',
      file,
      '--source',
      SOURCE_NAME,
      '--api-key',
      pushKey,
      '--configfile',
      configs.pusher,
    ]);
    expect(result.code, describeRun(result)).toBe(0);
    expect(result.output).toContain('Your package was pushed.');
  });

  it('pushes with the API key alone to the publish URL itself, which needs no service index', async () => {
    const second = await packer.variant(ID, { id: `${ID}.Second`, version: '1.0.0' });
    const source = `${feed.origin}/api/v2/package`;
    const args = ['nuget', 'push', second, '--source', source, '--api-key', pushKey, '--allow-insecure-connections'];
    const result = await ws.run([...args, '--configfile', configs.anonymous]);
    expect(result.code, describeRun(result)).toBe(0);
    expect(result.output).toContain('Your package was pushed.');
  });

  it('restores with a read token in packageSourceCredentials', async () => {
    const project = ws.dir('consumer');
    writeConsumer(project, [{ id: ID, version: '1.0.0' }]);
    const packages = ws.dir('restore-packages');
    const result = await ws.run(['restore', '--no-http-cache', '--configfile', configs.reader], {
      cwd: project,
      packages,
    });
    expect(result.code, describeRun(result)).toBe(0);
    const restored = join(packages, ID.toLowerCase(), '1.0.0', `${ID.toLowerCase()}.1.0.0.nupkg`);
    expect(Buffer.compare(readFileSync(restored), readFileSync(file))).toBe(0);
  });

  it('fails restore cleanly without credentials: a non-zero exit naming the 401', async () => {
    const project = ws.dir('consumer-anonymous');
    writeConsumer(project, [{ id: ID, version: '1.0.0' }]);
    const result = await ws.run(['restore', '--no-http-cache', '--configfile', configs.anonymous], { cwd: project });
    expect(result.code, describeRun(result)).not.toBe(0);
    expect(result.output).toMatch(/401/);
    expect(result.output).toMatch(/NU1301/);
  });

  it('fails restore once the read token is revoked', async () => {
    const revoked = await keysCli(feed, ['revoke', 'restore-agents']);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout).toMatch(/Revoked restore-agents/);
    const project = ws.dir('consumer-revoked');
    writeConsumer(project, [{ id: ID, version: '1.0.0' }]);
    const result = await ws.run(['restore', '--no-http-cache', '--configfile', configs.reader], { cwd: project });
    expect(result.code, describeRun(result)).not.toBe(0);
    expect(result.output).toMatch(/401/);
  });
});
