/**
 * Real, signed packages from nuget.org (the machine's /opt/nuget/packages folder): push them all, then
 * restore an xunit test project from this feed alone and compare every restored .nupkg byte for byte.
 */
import { copyFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeRun, hasDotnet } from './harness/dotnet';
import { flatVersions } from './harness/feedHttp';
import { writeConsumer } from './harness/projects';
import { push, useClientFeed } from './harness/suite';

const FOLDER = process.env.EDGEGET_REAL_PACKAGES ?? '/opt/nuget/packages';

function nupkgsUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.nupkg'))
    .map((path) => join(dir, path))
    .sort();
}

/** Highest version folder of a lowercase id in a global-packages-style folder. */
function presentVersion(lowerId: string): string | undefined {
  const dir = join(FOLDER, lowerId);
  if (!existsSync(dir)) return undefined;
  const numeric = (v: string) => v.split(/[.-]/).map((part) => Number.parseInt(part, 10) || 0);
  return readdirSync(dir)
    .sort((a, b) => {
      const [x, y] = [numeric(a), numeric(b)];
      for (let i = 0; i < Math.max(x.length, y.length); i++)
        if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
      return 0;
    })
    .at(-1);
}

const sources = nupkgsUnder(FOLDER);
const TEST_PACKAGES = ['Microsoft.NET.Test.Sdk', 'xunit', 'xunit.runner.visualstudio'];
const references = TEST_PACKAGES.map((id) => ({ id, version: presentVersion(id.toLowerCase()) }));
const available = sources.length > 0 && references.every((r) => r.version !== undefined);
if (hasDotnet && !available)
  console.warn(`[client suite] no xunit packages under ${FOLDER}: skipping the real-package tests.`);

describe.skipIf(!hasDotnet || !available)('real packages from nuget.org', () => {
  const ctx = useClientFeed('real');

  it(`pushes every .nupkg under ${FOLDER}`, async () => {
    const dir = ctx.ws.dir('real-nupkgs');
    for (const file of sources) copyFileSync(file, join(dir, basename(file)));
    const result = await push(ctx, join(dir, '*.nupkg'));
    expect(result.code, describeRun(result)).toBe(0);
    expect(result.output.match(/Your package was pushed\./g)).toHaveLength(sources.length);
    for (const file of sources) {
      const [lowerId, version] = relative(FOLDER, file).split('/');
      expect(await flatVersions(ctx.feed, lowerId!), file).toContain(version);
    }
  });

  it('restores an xunit test project from this feed only, every package byte-identical', async () => {
    const project = ctx.ws.dir('xunit-project');
    writeConsumer(project, references, '<IsTestProject>true</IsTestProject>');
    const packages = ctx.ws.dir('restore-packages');
    const result = await ctx.ws.run(['restore', '--no-http-cache'], { cwd: project, packages });
    expect(result.code, describeRun(result)).toBe(0);

    const restored = nupkgsUnder(packages);
    const restoredIds = restored.map((file) => relative(packages, file).split('/')[0]);
    expect(restoredIds).toEqual(expect.arrayContaining(TEST_PACKAGES.map((id) => id.toLowerCase())));
    for (const file of restored) {
      const original = join(FOLDER, relative(packages, file));
      expect(existsSync(original), `${file} has no source in ${FOLDER}`).toBe(true);
      expect(Buffer.compare(readFileSync(file), readFileSync(original)), file).toBe(0);
    }
  });
});
