/**
 * `npx edgeget delete --hard` and `npx edgeget log` against a real `wrangler dev` feed: what they
 * print, what they refuse, and that a deleted version stays deleted for push (issue 16).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { edgeget } from '../client/harness/cli';
import { type Feed, startFeed } from '../../devkit/feed.mjs';
import { pushSeedPackage } from '../../devkit/gallerySeed.mjs';
import { buildNupkg, multipartBody } from '../../devkit/nupkg.mjs';

let feed: Feed;
beforeAll(async () => {
  feed = await startFeed({ apiKey: 'lifecycle-test-key' });
  for (const version of ['1.0.0', '1.0.1', '1.1.0']) await pushSeedPackage(feed, { id: 'Audit.Lib', version });
});
afterAll(async () => {
  await feed?.stop();
});

const cli = (...args: string[]) => edgeget([...args, '--url', feed.origin, '--admin-key', feed.apiKey]);
const versions = async () =>
  ((await (await fetch(`${feed.origin}/v3/flat/audit.lib/index.json`)).json()) as { versions: string[] }).versions;

async function push(version: string): Promise<number> {
  const { body, contentType } = multipartBody(buildNupkg({ id: 'Audit.Lib', version }));
  const response = await fetch(`${feed.origin}/api/v2/package/`, {
    method: 'PUT',
    headers: { 'X-NuGet-ApiKey': feed.apiKey, 'Content-Type': contentType },
    body: new Blob([body as Uint8Array<ArrayBuffer>]),
  });
  await response.arrayBuffer();
  return response.status;
}

describe('edgeget delete --hard', () => {
  it('asks for --yes when it cannot ask, and needs --hard', async () => {
    const unconfirmed = await cli('delete', 'Audit.Lib', '1.0.1', '--hard');
    expect(unconfirmed.code).toBe(1);
    expect(unconfirmed.stderr).toContain('cannot be undone: add --yes to confirm');
    const soft = await cli('delete', 'Audit.Lib', '1.0.1', '--yes');
    expect(soft.code).toBe(1);
    expect(soft.stderr).toMatch(/add --hard.*dotnet nuget delete/);
    expect(await versions()).toEqual(['1.0.0', '1.0.1', '1.1.0']);
  });

  it('deletes a version; pushing it again is refused until reuse is allowed', async () => {
    const deleted = await cli('delete', 'Audit.Lib', '1.0.1', '--hard', '--yes');
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stdout).toContain('Deleted Audit.Lib 1.0.1.');
    expect(await versions()).toEqual(['1.0.0', '1.1.0']);
    expect((await fetch(`${feed.origin}/v3/flat/audit.lib/1.0.1/audit.lib.1.0.1.nupkg`)).status).toBe(404);
    expect(await push('1.0.1')).toBe(409);

    const reuse = await cli('delete', 'Audit.Lib', '1.0.1', '--hard', '--yes', '--allow-reuse');
    expect(reuse.code, reuse.stderr).toBe(0);
    expect(reuse.stdout).toContain('may be pushed again');
    expect(await push('1.0.1')).toBe(201);
  });

  it('names what is not there', async () => {
    const missing = await cli('delete', 'Audit.Lib', '9.0.0', '--hard', '--yes');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/404: Package Audit.Lib 9.0.0 was not found/);
  });
});

describe('edgeget log', () => {
  it('shows who deleted what and when, newest first, for one id or the feed', async () => {
    const log = await cli('log', '--id', 'Audit.Lib');
    expect(log.code, log.stderr).toBe(0);
    const lines = log.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^\d{4}-\d{2}-\d{2}T\S+Z\s+admin\s+allow-reuse\s+audit\.lib 1\.0\.1$/);
    expect(lines[1]).toMatch(/admin\s+delete\s+audit\.lib 1\.0\.1$/);
    const json = JSON.parse((await cli('log', '--json', '--limit', '1')).stdout) as { action: string }[];
    expect(json).toHaveLength(1);
    expect((await cli('log', '--limit', '0')).code).toBe(1);
  });
});

describe('edgeget retention', () => {
  const listedRetained = async () => {
    const query = 'q=packageid:Retain.Lib&prerelease=true&semVerLevel=2.0.0';
    const { data } = (await (await fetch(`${feed.origin}/v3/query?${query}`)).json()) as any;
    return data[0].versions.map((v: { version: string }) => v.version) as string[];
  };
  beforeAll(async () => {
    for (const version of ['1.0.0', '1.1.0', '2.0.0-beta.1', '2.0.0-beta.2']) {
      await pushSeedPackage(feed, { id: 'Retain.Lib', version });
    }
  });

  it('sets, changes and lists rules', async () => {
    const set = await cli('retention', 'set', 'Retain.Lib', '--keep-prerelease', '1', '--prerelease-older-than', '30d');
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout.trim()).toBe(
      'Added the retention rule Retain.Lib: stable: all; prerelease: newest 1 or from the last 30 days; unlist the rest.',
    );
    const changed = await cli('retention', 'set', 'retain.lib', '--keep-stable', '0', '--keep-prerelease', '0');
    expect(changed.stdout).toMatch(/^Changed the retention rule retain\.lib: stable: newest 0; prerelease: newest 0;/);
    expect((await cli('retention', 'set', 'Retain.Lib', '--keep-stable', 'two')).code).toBe(1);
    const list = await cli('retention', 'list');
    expect(list.stdout.trim()).toBe('retain.lib  stable: newest 0; prerelease: newest 0; unlist the rest');
  });

  it('run --dry-run prints what a run would do and keeps, and changes nothing; run does it', async () => {
    const dry = await cli('retention', 'run', '--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout.trim().split('\n')).toEqual([
      'unlist Retain.Lib 1.0.0 (rule retain.lib)',
      'unlist Retain.Lib 2.0.0-beta.1 (rule retain.lib)',
      'kept Retain.Lib 1.1.0: latest stable',
      'kept Retain.Lib 2.0.0-beta.2: latest prerelease',
      '2 versions would be unlisted or deleted; nothing was changed.',
    ]);
    expect(await listedRetained()).toHaveLength(4);

    const run = await cli('retention', 'run');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('unlisted Retain.Lib 1.0.0 (rule retain.lib)\nunlisted Retain.Lib 2.0.0-beta.1');
    expect(await listedRetained()).toEqual(['1.1.0', '2.0.0-beta.2']);
    const log = await cli('log', '--id', 'Retain.Lib');
    expect(log.stdout).toMatch(/retention\s+unlist\s+retain\.lib 2\.0\.0-beta\.1 rule retain\.lib\n/);
    const json = JSON.parse((await cli('retention', 'run', '--json')).stdout);
    expect(json).toMatchObject({ dryRun: false, actions: [], remaining: 0 });
  });

  it('removes a rule, and says when there is none', async () => {
    const removed = await cli('retention', 'remove', 'RETAIN.LIB');
    expect(removed.stdout.trim()).toBe('Removed the retention rule retain.lib.');
    expect((await cli('retention', 'list')).stdout.trim()).toBe('No retention rules: every version stays.');
    const again = await cli('retention', 'remove', 'Retain.Lib');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/404: There is no retention rule for Retain.Lib/);
  });
});

describe('edgeget retention on a CI-style id', () => {
  const ci = Array.from({ length: 50 }, (_, i) => `1.0.0-ci.${i + 1}`);
  const listed = async () => {
    const query = 'q=packageid:Nightly.Build&prerelease=true&semVerLevel=2.0.0';
    const { data } = (await (await fetch(`${feed.origin}/v3/query?${query}`)).json()) as any;
    return data[0].versions.map((v: { version: string }) => v.version) as string[];
  };
  beforeAll(async () => {
    for (const version of ['0.9.0', ...ci]) await pushSeedPackage(feed, { id: 'Nightly.Build', version });
  });

  it('keeps the newest 5 of 50 prereleases and the stable, in a dry run and then for real', async () => {
    expect((await cli('retention', 'set', 'Nightly.*', '--keep-prerelease', '5')).code).toBe(0);
    const dry = await cli('retention', 'run', '--dry-run');
    const lines = dry.stdout.trim().split('\n');
    expect(lines.filter((line) => line.startsWith('unlist '))).toEqual(
      ci.slice(0, 45).map((version) => `unlist Nightly.Build ${version} (rule Nightly.*)`),
    );
    expect(lines.at(-1)).toBe('45 versions would be unlisted or deleted; nothing was changed.');
    expect(await listed()).toHaveLength(51);

    const run = await cli('retention', 'run');
    expect(run.code, run.stderr).toBe(0);
    expect(await listed()).toEqual(['0.9.0', ...ci.slice(45)]);
    expect((await cli('retention', 'remove', 'Nightly.*')).code).toBe(0);
  }, 120_000);
});

describe('edgeget trust', () => {
  const DAY = 86_400_000;
  const trust = (...args: string[]) => cli('trust', ...args);
  const policies = async () => JSON.parse((await trust('list', '--json')).stdout) as Record<string, any>[];
  const ids: string[] = [];
  const release = ['--user', 'alice', '--owner', 'Contoso', '--workflow', 'release.yml'];

  it('adds a policy for owner/name and prints what it trusts and the workflow values', async () => {
    expect((await trust('list')).stdout).toBe('No trust policies yet (add one with npx edgeget trust add).\n');
    const added = await trust(
      'add',
      ...release,
      '--repo',
      'Contoso/Widgets',
      '--ids',
      'Contoso.*, Contoso',
      '--scopes',
      'push,push-version',
    );
    expect(added.code, added.stderr).toBe(0);
    const [, id, until] =
      /^Added the trust policy ([0-9a-f]{8}): .*\nIt is temporary .* ids, until (\S+)\.$/m.exec(added.stdout) ?? [];
    expect(added.stdout).toContain(
      `${id}: user alice from Contoso/Widgets, workflow release.yml, any environment; push,push-version on Contoso.*,Contoso.\n`,
    );
    expect(Math.abs(Date.parse(until!) - Date.now() - 7 * DAY)).toBeLessThan(60_000);
    expect(added.stdout).toContain(`      token-service-url: ${feed.origin}/api/v2/token\n`);
    expect(added.stdout).toContain(
      `      audience: ${feed.origin}    # the feed's origin, or OIDC_AUDIENCE if you set it\n`,
    );
    expect(added.stdout).toContain(`-s ${feed.origin}/v3/index.json -k \${{ steps.login.outputs.NUGET_API_KEY }}`);
    expect(added.stdout).not.toContain('environment:');
    ids.push(id!);
  });

  it('adds a policy for a GitHub URL with an environment; --json is the policy', async () => {
    const args = ['--repo', 'https://github.com/contoso/Tools.git', '--environment', 'production'];
    const added = await trust('add', ...release, ...args, '--workflow', '.github/workflows/publish.yml');
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toMatch(
      /from Contoso\/Tools, workflow publish\.yml, environment production; push,push-version on \*\.\n/,
    );
    expect(added.stdout).toContain('in a job with environment: production');
    const json = JSON.parse((await trust('add', ...release, ...args, '--json')).stdout);
    expect(json).toMatchObject({
      repo: 'Tools',
      environment: 'production',
      ids: ['*'],
      scopes: ['push', 'push-version'],
      removed: null,
    });
    expect(Date.parse(json.validateBy) - Date.parse(json.created)).toBe(7 * DAY);
    ids.push(/policy ([0-9a-f]{8}):/.exec(added.stdout)![1]!, json.id);
  });

  it('lists every policy on one line with its state', async () => {
    const list = await trust('list');
    expect(list.code, list.stderr).toBe(0);
    const lines = list.stdout.trim().split('\n');
    expect(lines.map((line) => line.split(' ').slice(0, 2).join(' '))).toEqual(ids.map((id) => `${id} temporary:`));
    expect(lines[1]).toMatch(
      /: user alice from Contoso\/Tools, workflow publish\.yml, environment production; push,push-version on \*; until \S+Z unless first used$/,
    );
    expect((await policies()).map((p) => p.state)).toEqual(['temporary', 'temporary', 'temporary']);
  });

  it('removes a policy and says its keys were revoked; a second remove is a 404', async () => {
    const removed = await trust('remove', ids[0]!);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toBe(
      `Removed the trust policy ${ids[0]}: user alice from Contoso/Widgets, workflow release.yml, any environment; ` +
        'push,push-version on Contoso.*,Contoso.\nThe keys it issued are revoked.\n',
    );
    const list = (await trust('list')).stdout.trim().split('\n');
    expect(list[0]).toMatch(new RegExp(`^${ids[0]} removed: user alice from Contoso/Widgets, .*; removed \\S+Z$`));
    expect(list.slice(1).map((line) => line.split(':')[0])).toEqual([`${ids[1]} temporary`, `${ids[2]} temporary`]);
    const again = await trust('remove', ids[0]!);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`404: There is no trust policy '${ids[0]}' (see npx edgeget trust list)`);
  });

  it('refuses bad input, adding nothing', async () => {
    const noWorkflow = await trust('add', '--user', 'alice', '--owner', 'Contoso', '--repo', 'Widgets');
    expect(noWorkflow.code).toBe(1);
    expect(noWorkflow.stderr).toContain("required option '--workflow <file>' not specified");
    const otherOwner = await trust('add', ...release, '--repo', 'Fabrikam/Widgets');
    expect(otherOwner.code).toBe(1);
    expect(otherOwner.stderr).toContain('answered 400: repo Fabrikam/Widgets is not a repository of Contoso.');
    expect(await policies()).toHaveLength(3);
  });
});
