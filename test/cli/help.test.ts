/** `npx edgeget`: every command has help, and mistakes get a message saying what to do, changing nothing. */
import { describe, expect, it } from 'vitest';
import { edgeget } from '../client/harness/cli';
import { freePort } from '../../devkit/feed.mjs';

const COMMANDS = [
  'dev',
  'deploy',
  'keys',
  'rebuild-pages',
  'deprecate',
  'undeprecate',
  'vulnerability',
  'delete',
  'log',
  'import',
  'export',
  'trust',
  'retention',
  'upstream',
];
const SUBCOMMANDS = [
  ['keys', 'create'],
  ['keys', 'list'],
  ['keys', 'revoke'],
  ...['add', 'remove', 'list', 'import'].map((sub) => ['vulnerability', sub]),
  ...['add', 'list', 'remove'].map((sub) => ['trust', sub]),
  ...['set', 'list', 'remove', 'run'].map((sub) => ['retention', sub]),
  ...['status', 'forget'].map((sub) => ['upstream', sub]),
];

describe('edgeget --help', () => {
  it('lists every command, and each command has its own help', async () => {
    const top = await edgeget(['--help']);
    expect(top.code).toBe(0);
    for (const name of COMMANDS) expect(top.stdout).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
    expect(top.stdout).toMatch(/--url <url>[^-]*\(env: EDGEGET_URL\)/);
    for (const args of [...COMMANDS.map((c) => [c]), ...SUBCOMMANDS]) {
      const help = await edgeget([...args, '--help']);
      expect(help.code, args.join(' ')).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^Usage: edgeget ${args.join(' ')} `, 'm'));
    }
  });

  it('answers an unknown command with exit 1 and a pointer to --help', async () => {
    const result = await edgeget(['frobnicate']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/unknown command 'frobnicate'[\s\S]*--help/);
  });
});

describe('edgeget errors', () => {
  it('says how to start the dev server when nothing listens at the default URL (which follows PORT)', async () => {
    const port = await freePort();
    const result = await edgeget(['keys', 'list'], { PORT: String(port) });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`could not reach the feed at http://127.0.0.1:${port} (ECONNREFUSED)`);
    expect(result.stderr).toMatch(/npm run dev.*--url or set EDGEGET_URL/);
  });

  it('names the feed EDGEGET_URL points at', async () => {
    const port = await freePort();
    const result = await edgeget(['rebuild-pages'], { EDGEGET_URL: `http://localhost:${port}` });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`could not reach the feed at http://localhost:${port}`);
  });

  it('asks for the admin key of a feed elsewhere instead of sending the dev key', async () => {
    const result = await edgeget(['keys', 'list', '--url', 'https://nuget.example.com']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'https://nuget.example.com needs the admin key: pass --admin-key KEY or set NUGET_API_KEY.',
    );
  });

  it('refuses a --url that is not a URL', async () => {
    const result = await edgeget(['keys', 'list', '--url', 'nuget example']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("--url nuget example is not a URL: give the feed's origin");
  });

  it('checks a command’s own arguments before calling the feed', async () => {
    const noScopes = await edgeget(['keys', 'create', '--name', 'ci']);
    expect(noScopes.code).toBe(1);
    expect(noScopes.stderr).toContain('an API key needs --scopes (any of push, push-version, unlist), or --read');
    const readWithScopes = await edgeget(['keys', 'create', '--name', 'r', '--read', '--scopes', 'push']);
    expect(readWithScopes.stderr).toContain('a read token (--read) reads the whole feed');
    const noName = await edgeget(['keys', 'create', '--scopes', 'push']);
    expect(noName.code).toBe(1);
    expect(noName.stderr).toContain("required option '--name <name>' not specified");
    const badBatch = await edgeget(['rebuild-pages', '--batch', '500']);
    expect(badBatch.code).toBe(1);
    expect(badBatch.stderr).toContain('a whole number from 1 to 200');
    const badPort = await edgeget(['dev', '--port', 'http']);
    expect(badPort.code).toBe(1);
    expect(badPort.stderr).toContain('a port number from 1 to 65535');
  });
});
