/**
 * PowerShell 7 (.tools/pwsh) for the PSResourceGet and PowerShellGet tests: every script runs in a
 * fresh pwsh whose HOME is the test's own folder, so registered repositories (under ~/.cache and
 * ~/.local/share) and modules installed for the current user (~/.local/share/powershell/Modules)
 * stay there; and the module folders those tests publish.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { type DotnetResult, describeRun, runClient } from './dotnet';

export interface Pwsh {
  /** Runs `script` in a fresh pwsh; a failing cmdlet fails the run. */
  ps(script: string): Promise<DotnetResult>;
  /** Runs `script`, expects success, and parses what it writes to the pipeline as a JSON array. */
  json<T>(script: string): Promise<T>;
  /** The HOME pwsh runs with. */
  readonly home: string;
}

/** A pwsh runner in `root` (its working directory), HOME `root/home`, in `env` (default this process's). */
export function pwshIn(pwsh: string, root: string, env: NodeJS.ProcessEnv = process.env): Pwsh {
  const home = join(root, 'home');
  const ps = (script: string) =>
    runClient(pwsh, ['-NoProfile', '-NonInteractive', '-Command', `$ErrorActionPreference = 'Stop'\n${script}`], {
      cwd: root,
      env: { ...env, HOME: home, NO_COLOR: '1', POWERSHELL_TELEMETRY_OPTOUT: '1' },
    });
  const json = async <T>(script: string): Promise<T> => {
    const result = await ps(`${script} | ConvertTo-Json -Depth 4 -AsArray`);
    expect(result.code, describeRun(result)).toBe(0);
    return JSON.parse(result.stdout) as T;
  };
  return { ps, json, home };
}

export interface ModuleSpec {
  name: string;
  version: string;
  /** A prerelease label, written to the manifest's PSData.Prerelease. */
  prerelease?: string;
  /** The one function the module exports, and the text (a PowerShell double-quoted string body) it returns. */
  fn: string;
  says: string;
  requiredModules?: readonly string[];
  tags?: readonly string[];
}

/**
 * Writes the module's .psm1 under `root/module-<name>-<version><prerelease>/<name>` and returns that
 * folder and the `New-ModuleManifest` command that completes it (run it in the publishing script).
 */
export function writeModule(root: string, spec: ModuleSpec): { dir: string; manifest: string } {
  const { name, version, prerelease = '' } = spec;
  const dir = join(root, `module-${name}-${version}${prerelease}`, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.psm1`), `function ${spec.fn} { "${spec.says}" }\n`);
  const list = (values: readonly string[]) => values.map((value) => `'${value}'`).join(', ');
  const options = [
    prerelease ? ` -Prerelease '${prerelease}'` : '',
    spec.requiredModules ? ` -RequiredModules ${list(spec.requiredModules)}` : '',
    spec.tags ? ` -Tags ${list(spec.tags)}` : '',
  ].join('');
  const manifest =
    `New-ModuleManifest -Path '${join(dir, `${name}.psd1`)}' -RootModule '${name}.psm1' -ModuleVersion '${version}'` +
    ` -Author 'EdgeGet Tests' -Description 'A demo module.' -Copyright '(c) EdgeGet Tests' -FunctionsToExport '${spec.fn}'${options}`;
  return { dir, manifest };
}
