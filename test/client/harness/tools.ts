/**
 * The other clients of the matrix, as dotnet tools from the NuGet registry: installed into .tools/
 * on first use (`.ci/run` installs them up front). Missing and not installable: the suite that needs
 * the tool is skipped with a message, except on CI, where that fails the run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../../devkit/feed.mjs';
import { hasDotnet } from './dotnet';

export const TOOLS = {
  paket: { packageId: 'paket', version: '12.0.0' },
  pwsh: { packageId: 'PowerShell', version: '7.6.9' },
} as const;
export type Tool = keyof typeof TOOLS;

export const toolDir = join(repoRoot, '.tools');

/** The tool's executable, installing it if needed; null when it cannot be had here (and not on CI). */
export function toolPath(tool: Tool): string | null {
  const path = join(toolDir, tool);
  if (existsSync(path)) return path;
  const { packageId, version } = TOOLS[tool];
  const install = hasDotnet
    ? spawnSync('dotnet', ['tool', 'install', packageId, '--version', version, '--tool-path', toolDir], {
        encoding: 'utf8',
        timeout: 300_000,
        env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_NOLOGO: '1' },
      })
    : null;
  if (install?.status === 0 && existsSync(path)) return path;
  const why = install ? `${install.stdout}${install.stderr}`.trim() : 'dotnet is not on PATH';
  const message = `[client suite] ${packageId} ${version} is not installed and could not be (${why})`;
  if (process.env.CI) throw new Error(`${message}; CI runs every client: see .ci/run.`);
  console.warn(`${message}: skipping its tests.`);
  return null;
}
