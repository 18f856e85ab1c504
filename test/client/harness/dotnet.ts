/** Runs the real `dotnet` CLI with an isolated NuGet environment and captures its outcome. */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

/** `dotnet --version`, or null when the SDK is absent (the client suite is then skipped locally, and fails on CI). */
export const dotnetVersion: string | null = (() => {
  try {
    const probe = spawnSync('dotnet', ['--version'], { encoding: 'utf8', timeout: 60_000 });
    return probe.status === 0 ? probe.stdout.trim() : null;
  } catch {
    return null;
  }
})();

export const hasDotnet = dotnetVersion !== null;
if (!hasDotnet && process.env.CI) {
  // On CI a skipped client suite would look like a pass: a broken machine set-up must fail the run.
  throw new Error(
    '[client suite] `dotnet` was not found on PATH, and CI runs the real-client suite: install the .NET SDK.',
  );
}
if (!hasDotnet) {
  console.warn('[client suite] `dotnet` was not found on PATH: skipping the real-client tests (on CI this fails).');
}

export interface DotnetResult {
  readonly args: readonly string[];
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout + stderr, for assertions on messages. */
  readonly output: string;
  readonly ms: number;
}

export interface DotnetOptions {
  cwd: string;
  /** Global packages folder (NUGET_PACKAGES). */
  packages: string;
  /** HTTP cache folder; a fresh one per command when omitted, so no result is served from an earlier command. */
  httpCache?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
}

export function dotnetEnv(options: DotnetOptions): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DOTNET_CLI_TELEMETRY_OPTOUT: '1',
    DOTNET_NOLOGO: '1',
    DOTNET_SKIP_FIRST_TIME_EXPERIENCE: '1',
    DOTNET_CLI_WORKLOAD_UPDATE_NOTIFY_DISABLE: '1',
    DOTNET_CLI_UI_LANGUAGE: 'en',
    // No build servers or reusable MSBuild nodes: they would outlive the command and hold its pipes open.
    DOTNET_CLI_USE_MSBUILD_SERVER: '0',
    MSBUILDDISABLENODEREUSE: '1',
    UseSharedCompilation: 'false',
    NUGET_PACKAGES: options.packages,
    NUGET_HTTP_CACHE_PATH: options.httpCache ?? mkdtempSync(join(tmpdir(), 'edgeget-http-cache-')),
    ...options.env,
  };
}

export function dotnet(args: readonly string[], options: DotnetOptions): Promise<DotnetResult> {
  return runClient('dotnet', args, { cwd: options.cwd, env: dotnetEnv(options), timeoutMs: options.timeoutMs });
}

/** Runs one client command (dotnet, paket, pwsh) to its end, capturing its output; killed after `timeoutMs`. */
export function runClient(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<DotnetResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      output += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 240_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      const result = { args: [command, ...args], code, stdout, stderr, output, ms: Date.now() - started };
      if (process.env.EDGEGET_CLIENT_VERBOSE) console.log(describeRun(result));
      resolve(result);
    });
  });
}

/** A readable summary of a finished command, used as the assertion message. */
export function describeRun(result: DotnetResult): string {
  return `${result.args.join(' ')} → exit ${result.code} (${result.ms} ms)\n${result.output}`;
}

/** A repo tool (tools/…) built in a temp copy of its source: `root` holds it, `out` its build, `packages` its own global packages folder. */
export interface BuiltTool {
  root: string;
  out: string;
  packages: string;
}

/**
 * Copies the .NET project at `source` (without its bin/ and obj/) into a temp folder and builds it
 * there, with an empty global packages folder so its dependencies restore from the machine's
 * configured source. Throws with dotnet's output, naming `what`, when the build fails: nothing is skipped.
 */
export async function buildTool(source: string, what: string): Promise<BuiltTool> {
  const root = mkdtempSync(join(tmpdir(), `edgeget-${basename(source)}-`));
  const project = join(root, 'src');
  cpSync(source, project, { recursive: true, filter: (path) => !/[\\/](bin|obj)$/.test(path) });
  const packages = join(root, 'packages');
  const out = join(root, 'out');
  const build = await dotnet(['build', '-c', 'Release', '-o', out, '-nologo'], { cwd: project, packages });
  if (build.code !== 0) {
    rmSync(root, { recursive: true, force: true });
    throw new Error(`could not build ${what}:\n${describeRun(build)}`);
  }
  return { root, out, packages };
}
