/**
 * A temp work dir per test file: a NuGet.Config whose only source is the feed under test, empty
 * Directory.Build.* files that stop MSBuild from walking further up, and a `dotnet` runner bound to it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dotnet, type DotnetResult } from './dotnet';
import type { Feed } from '../../../devkit/feed.mjs';

export const SOURCE_NAME = 'edgeget';

export interface RunOptions {
  /** Working directory (default: the workspace root). */
  cwd?: string;
  /** Global packages folder; a fresh empty one when omitted. */
  packages?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
}

export interface Workspace {
  readonly root: string;
  readonly feed: Feed;
  /** A new empty directory under the root. */
  dir(name: string): string;
  /** Runs `dotnet` with this workspace's NuGet.Config in effect. */
  run(args: readonly string[], options?: RunOptions): Promise<DotnetResult>;
  dispose(): void;
}

export function nugetConfigXml(sourceUrl: string, extra = ''): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="${SOURCE_NAME}" value="${sourceUrl}" allowInsecureConnections="true" />
  </packageSources>${extra}
</configuration>
`;
}

/** Empty MSBuild/NuGet files at a root, so nothing above it (e.g. in /tmp) can leak into builds. */
export function writeBoundaryFiles(dir: string): void {
  for (const name of ['Directory.Build.props', 'Directory.Build.targets', 'Directory.Packages.props']) {
    writeFileSync(join(dir, name), '<Project />\n');
  }
}

export function createWorkspace(feed: Feed, label: string): Workspace {
  const root = mkdtempSync(join(tmpdir(), `edgeget-client-${label}-`));
  writeBoundaryFiles(root);
  writeFileSync(join(root, 'NuGet.Config'), nugetConfigXml(feed.source));
  let counter = 0;
  const dir = (name: string) => {
    const path = join(root, `${name}-${++counter}`);
    mkdirSync(path, { recursive: true });
    return path;
  };
  return {
    root,
    feed,
    dir,
    run: (args, options = {}) =>
      dotnet(args, {
        cwd: options.cwd ?? root,
        packages: options.packages ?? dir('nuget-packages'),
        httpCache: dir('http-cache'),
        env: options.env,
        timeoutMs: options.timeoutMs,
      }),
    dispose: () => rmSync(root, { recursive: true, force: true }),
  };
}
