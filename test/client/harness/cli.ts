/** Runs the project's CLI (`npx edgeget …`, cli/edgeget.mjs) as a user would, capturing its outcome. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { type Feed, repoRoot } from '../../../devkit/feed.mjs';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `edgeget <args>` with `env` added to this process's environment (EDGEGET_URL and NUGET_API_KEY removed first). */
export function edgeget(args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> {
  const { EDGEGET_URL: _url, NUGET_API_KEY: _key, PORT: _port, ...inherited } = process.env;
  const argv = [join(repoRoot, 'cli', 'edgeget.mjs'), ...args];
  return new Promise((done) =>
    execFile(process.execPath, argv, { cwd: repoRoot, env: { ...inherited, ...env } }, (error, stdout, stderr) =>
      done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

/** `edgeget keys <args>` against `feed`, as its admin. */
export function keysCli(feed: Feed, args: readonly string[]): Promise<CliResult> {
  return edgeget(['keys', ...args, '--url', feed.origin, '--admin-key', feed.apiKey]);
}
