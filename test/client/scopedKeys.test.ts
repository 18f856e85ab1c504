import { describe, expect, it } from 'vitest';
import { keysCli } from './harness/cli';
import { describeRun, hasDotnet } from './harness/dotnet';
import type { Feed } from '../../devkit/feed.mjs';
import { flatVersions } from './harness/feedHttp';
import { push, useClientFeed } from './harness/suite';
import { SOURCE_NAME } from './harness/workspace';

const CONTOSO = 'EdgeGet.Contoso.Lib';
const FABRIKAM = 'EdgeGet.Fabrikam.Lib';

/** The secret from `keys create`'s human output: shown once, on its own line. */
async function createKey(feed: Feed, args: string[]): Promise<string> {
  const result = await keysCli(feed, ['create', ...args]);
  expect(result.code, result.stderr).toBe(0);
  expect(result.stdout).toMatch(/only time the secret is shown/);
  return /^\s+(eg_\S+)$/m.exec(result.stdout)![1]!;
}

describe.skipIf(!hasDotnet)('scoped API keys with the real client', () => {
  const ctx = useClientFeed('scoped-keys');
  const keys = { contoso: '', newIdsOnly: '', lister: '' };
  const files: Record<string, string> = {};

  it('creates keys with the CLI', async () => {
    keys.contoso = await createKey(ctx.feed, [
      '--name',
      'ci-contoso',
      '--scopes',
      'push,push-version',
      '--ids',
      'EdgeGet.Contoso.*',
    ]);
    keys.newIdsOnly = await createKey(ctx.feed, [
      '--name',
      'new-ids',
      '--scopes',
      'push',
      '--ids',
      'EdgeGet.*',
      '--expires',
      '2999-01-01',
    ]);
    keys.lister = await createKey(ctx.feed, ['--name', 'lister', '--scopes', 'unlist', '--ids', 'EdgeGet.Contoso.*']);
    const listed = await keysCli(ctx.feed, ['list']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/ci-contoso \[[0-9a-f]{12}\] active: push,push-version on EdgeGet\.Contoso\.\*/);
    expect(listed.stdout).toMatch(/new-ids .* expires 2999-01-01T00:00:00\.000Z/);
    expect(listed.stdout).not.toContain(keys.contoso);

    const [contoso1, contoso2] = await ctx.packer.pack({ id: CONTOSO, version: '1.0.0' }, ['2.0.0']);
    files.contoso1 = contoso1!;
    files.contoso2 = contoso2!;
    files.fabrikam = await ctx.packer.variant(CONTOSO, { id: FABRIKAM, version: '1.0.0' });
  });

  it('pushes a new id inside the key scope', async () => {
    const result = await push(ctx, files.contoso1!, { apiKey: keys.contoso });
    expect(result.code, describeRun(result)).toBe(0);
    expect(result.output).toContain('Your package was pushed.');
  });

  it('refuses a push outside the key id patterns with 403 and says why', async () => {
    const result = await push(ctx, files.fabrikam!, { apiKey: keys.contoso });
    expect(result.code, describeRun(result)).not.toBe(0);
    expect(result.output).toMatch(/Response status code does not indicate success: 403/);
    expect(result.output).toMatch(
      /may not push package 'EdgeGet\.Fabrikam\.Lib': it is limited to ids matching EdgeGet\.Contoso\.\*/,
    );
    expect(await flatVersions(ctx.feed, FABRIKAM)).toBeNull();
  });

  it('refuses a new version to a key that may only create ids', async () => {
    const result = await push(ctx, files.contoso2!, { apiKey: keys.newIdsOnly });
    expect(result.code, describeRun(result)).not.toBe(0);
    expect(result.output).toMatch(/403/);
    expect(result.output).toMatch(/may not push new versions of existing package ids/);
    expect(await flatVersions(ctx.feed, CONTOSO)).toEqual(['1.0.0']);
  });

  it('unlists only with the unlist scope', async () => {
    const args = (key: string) => [
      'nuget',
      'delete',
      CONTOSO,
      '1.0.0',
      '--source',
      SOURCE_NAME,
      '--api-key',
      key,
      '--non-interactive',
    ];
    const refused = await ctx.ws.run(args(keys.contoso));
    expect(refused.code, describeRun(refused)).not.toBe(0);
    expect(refused.output).toMatch(/403/);
    expect(refused.output).toMatch(/needs the unlist scope/);
    const done = await ctx.ws.run(args(keys.lister));
    expect(done.code, describeRun(done)).toBe(0);
  });

  it('answers 401 to a key revoked with the CLI', async () => {
    const revoked = await keysCli(ctx.feed, ['revoke', 'ci-contoso']);
    expect(revoked.code, revoked.stderr).toBe(0);
    const result = await push(ctx, files.contoso2!, { apiKey: keys.contoso });
    expect(result.code, describeRun(result)).not.toBe(0);
    expect(result.output).toMatch(/401/);
    expect(result.output).toMatch(/has been revoked/);
    const listed = await keysCli(ctx.feed, ['list']);
    expect(listed.stdout).toMatch(/ci-contoso \[[0-9a-f]{12}\] revoked/);
    expect((await keysCli(ctx.feed, ['revoke', 'ci-contoso'])).code).toBe(1);
  });
});
