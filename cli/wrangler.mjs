/** Runs the project's own wrangler (node_modules, the pinned version) as a child process. */
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const wranglerBin = join(repoRoot, 'node_modules', 'wrangler', 'bin', 'wrangler.js');
const SIGNAL_NUMBERS = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15, SIGKILL: 9 };

export const wranglerEnv = {
  ...process.env,
  WRANGLER_SEND_METRICS: 'false',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
};

/**
 * `wrangler <args>` in the repository root. Resolves with `{ code, stdout }`: the exit code
 * (128 + n for a signal death) and, with `capture`, what it printed on stdout. SIGINT, SIGTERM
 * and SIGHUP sent to this process are passed on, so Ctrl-C stops wrangler cleanly.
 */
export function runWrangler(args, { capture = false, input } = {}) {
  return new Promise((done) => {
    const stdio = [input === undefined ? 'inherit' : 'pipe', capture ? 'pipe' : 'inherit', 'inherit'];
    const child = spawn(process.execPath, [wranglerBin, ...args], { cwd: repoRoot, env: wranglerEnv, stdio });
    const forward = (signal) => child.kill(signal);
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
    for (const signal of signals) process.on(signal, forward);
    let stdout = '';
    child.stdout?.on('data', (chunk) => {
      stdout += chunk;
    });
    if (input !== undefined) child.stdin.end(input);
    const finish = (code) => {
      for (const signal of signals) process.off(signal, forward);
      done({ code, stdout });
    };
    child.once('error', (error) => {
      console.error(`could not start wrangler (${wranglerBin}): ${error.message}. Run \`npm install\` first.`);
      finish(1);
    });
    child.once('exit', (code, signal) => finish(code ?? (signal ? 128 + (SIGNAL_NUMBERS[signal] ?? 15) : 1)));
  });
}
