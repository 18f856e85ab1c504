/**
 * Paket against the feed: `paket push`, then `paket install` of a version constraint, `paket update`
 * after a newer push, `paket outdated` and `paket find-packages`. Paket reads only the sources its
 * paket.dependencies names, and runs with its own HOME and NuGet folders here.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Feed, startFeed } from '../../devkit/feed.mjs';
import { buildNupkg } from '../../devkit/nupkg.mjs';
import { describeRun, runClient } from './harness/dotnet';
import { toolPath } from './harness/tools';

const paket = toolPath('paket');
const ID = 'EdgeGet.Paket.Lib';

describe.skipIf(!paket)('paket', () => {
  let feed: Feed;
  let root: string;
  let project: string;
  const run = (args: string[]) =>
    runClient(paket!, args, {
      cwd: project,
      env: { ...process.env, HOME: join(root, 'home'), NUGET_PACKAGES: join(root, 'nuget-packages') },
    });
  const pushVersion = async (version: string) => {
    const file = join(root, `${ID}.${version}.nupkg`);
    writeFileSync(file, buildNupkg({ id: ID, version, description: `Paket test package ${version}.` }));
    return run(['push', file, '--url', feed.origin, '--api-key', feed.apiKey]);
  };
  const locked = () => readFileSync(join(project, 'paket.lock'), 'utf8');

  beforeAll(async () => {
    feed = await startFeed({ apiKey: 'paket-test-key' });
    root = mkdtempSync(join(tmpdir(), 'edgeget-paket-'));
    project = join(root, 'project');
    mkdirSync(project);
    writeFileSync(
      join(project, 'paket.dependencies'),
      `source ${feed.source}\nstorage: none\nframework: net8.0\n\nnuget ${ID} ~> 1.0\n`,
    );
  });
  afterAll(async () => {
    await feed?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('pushes with `paket push --url <feed> --api-key`', async () => {
    for (const version of ['1.0.0', '1.1.0', '2.0.0']) {
      const result = await pushVersion(version);
      expect(result.code, describeRun(result)).toBe(0);
    }
    const versions = (await (await fetch(`${feed.origin}/v3/flat/${ID.toLowerCase()}/index.json`)).json()) as {
      versions: string[];
    };
    expect(versions.versions).toEqual(['1.0.0', '1.1.0', '2.0.0']);
  });

  it('installs the highest version a `~> 1.0` constraint allows', async () => {
    const result = await run(['install']);
    expect(result.code, describeRun(result)).toBe(0);
    expect(locked()).toMatch(new RegExp(`^ {4}${ID.replaceAll('.', '\\.')} \\(1\\.1\\.0\\)$`, 'm'));
  });

  it('updates to a newer version pushed after the install, and lists what is outdated', async () => {
    expect((await pushVersion('1.2.0')).code).toBe(0);
    const update = await run(['update']);
    expect(update.code, describeRun(update)).toBe(0);
    expect(locked()).toMatch(new RegExp(`^ {4}${ID.replaceAll('.', '\\.')} \\(1\\.2\\.0\\)$`, 'm'));
    // outdated ignores the constraint: 2.0.0 is the newest the feed has.
    const outdated = await run(['outdated', '--ignore-constraints']);
    expect(outdated.code, describeRun(outdated)).toBe(0);
    expect(outdated.output).toMatch(new RegExp(`${ID.replaceAll('.', '\\.')} 1\\.2\\.0 -> 2\\.0\\.0`));
  });

  it('finds the package with `paket find-packages`', async () => {
    const result = await run(['find-packages', 'EdgeGet.Paket', '--source', feed.source, '--max', '5', '--silent']);
    expect(result.code, describeRun(result)).toBe(0);
    expect(result.stdout.split('\n').map((line) => line.trim())).toContain(ID);
  });
});
