/**
 * Trusted publishing end to end: a workflow's login step (devkit/nugetLogin.mjs, sending what NuGet/login sends)
 * exchanges a GitHub-shaped OIDC token from a loopback issuer for a short-lived key at POST /api/v2/token, and the
 * real `dotnet nuget push` uses that key: inside the policy's ids it pushes, outside them it is refused, after its
 * lifetime it is rejected; a token is exchanged once only, and a user without a policy gets the server's reason.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Feed, repoRoot, sleep, startFeed } from '../../devkit/feed.mjs';
import { exchangeRequest, readOutput } from '../../devkit/nugetLogin.mjs';
import { type Issuer, startIssuer } from '../../devkit/oidcIssuer.mjs';
import { edgeget } from './harness/cli';
import { describeRun, hasDotnet } from './harness/dotnet';
import { flatVersions } from './harness/feedHttp';
import { createPacker, type Packer } from './harness/projects';
import { push } from './harness/suite';
import { createWorkspace, type Workspace } from './harness/workspace';

const KEY_SECONDS = 8;
const LOGIN_SCRIPT = join(repoRoot, 'devkit', 'nugetLogin.mjs');
const ERROR_LINE =
  /^::error::Token exchange failed \(HTTP (\d+)\) at (\S+)\. Make sure you are using the username of the policy creator, not the policy owner: (.+)$/m;

interface StepResult {
  code: number;
  stdout: string;
  stderr: string;
  /** What the step appended to its GITHUB_OUTPUT file. */
  output: string;
}

describe.skipIf(!hasDotnet)('trusted publishing: OIDC token → short-lived key → dotnet nuget push', () => {
  const ctx = {} as { feed: Feed; ws: Workspace; packer: Packer };
  let issuer: Issuer;
  let temp: string;
  let tokenUrl: string;
  const files: Record<string, string> = {};
  let apiKey = '';
  let keyIssuedBy = 0;

  /** The login step as a workflow runs it: a child process with only the runner's variables and a fresh GITHUB_OUTPUT. */
  function loginStep(user: string): Promise<StepResult> {
    const outputFile = join(mkdtempSync(join(temp, 'step-')), 'github_output');
    writeFileSync(outputFile, '');
    const env = {
      PATH: process.env.PATH ?? '',
      INPUT_USER: user,
      'INPUT_TOKEN-SERVICE-URL': tokenUrl,
      INPUT_AUDIENCE: ctx.feed.origin,
      ACTIONS_ID_TOKEN_REQUEST_URL: issuer.tokenRequestUrl,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: issuer.tokenRequestToken,
      GITHUB_OUTPUT: outputFile,
    };
    return new Promise((done) =>
      execFile(process.execPath, [LOGIN_SCRIPT], { cwd: temp, env, timeout: 30_000 }, (error, stdout, stderr) =>
        done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr, output: readFileSync(outputFile, 'utf8') }),
      ),
    );
  }

  /** One POST /api/v2/token exactly as the login step sends it. */
  async function exchange(jwt: string, user = 'alice') {
    const response = await fetch(tokenUrl, exchangeRequest(jwt, user));
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      text,
      body: JSON.parse(text) as Record<string, unknown>,
    };
  }

  beforeAll(async () => {
    temp = mkdtempSync(join(tmpdir(), 'edgeget-trusted-'));
    issuer = await startIssuer();
    ctx.feed = await startFeed({
      apiKey: 'trusted-admin-key',
      vars: { OIDC_ISSUER: issuer.issuer, TRUSTED_KEY_SECONDS: String(KEY_SECONDS) },
    });
    tokenUrl = `${ctx.feed.origin}/api/v2/token`;
    ctx.ws = createWorkspace(ctx.feed, 'trusted');
    ctx.packer = createPacker(ctx.ws);
  });
  afterAll(async () => {
    await ctx.feed?.stop();
    await issuer?.stop();
    ctx.ws?.dispose();
    if (temp) rmSync(temp, { recursive: true, force: true });
  });

  it('adds a trust policy with the CLI, and packs the packages', async () => {
    const [added, packed] = await Promise.all([
      edgeget([
        'trust',
        'add',
        '--user',
        'alice',
        '--owner',
        'o',
        '--repo',
        'r',
        '--workflow',
        'release.yml',
        '--ids',
        'Contoso.*',
        '--url',
        ctx.feed.origin,
        '--admin-key',
        ctx.feed.apiKey,
      ]),
      ctx.packer.pack({ id: 'Contoso.Widgets', version: '1.0.0' }),
    ]);
    expect(added.code, added.stderr).toBe(0);
    files.widgets = packed[0]!;
    files.other = await ctx.packer.variant('Contoso.Widgets', { id: 'Other.Lib', version: '1.0.0' });
    files.gadgets = await ctx.packer.variant('Contoso.Widgets', { id: 'Contoso.Gadgets', version: '1.0.0' });

    const listed = await edgeget(['trust', 'list', '--url', ctx.feed.origin, '--admin-key', ctx.feed.apiKey]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(
      /: user alice from o\/r, workflow release\.yml, any environment; push,push-version on Contoso\.\*/,
    );
  });

  it('logs in like NuGet/login: NUGET_API_KEY lands in GITHUB_OUTPUT, masked, exit 0', async () => {
    const step = await loginStep('alice');
    keyIssuedBy = Date.now();
    expect(step.code, `${step.stdout}${step.stderr}`).toBe(0);
    expect(step.stdout).not.toMatch(/::error::/);
    apiKey = readOutput(step.output) ?? '';
    expect(apiKey).not.toBe('');
    expect(step.output).toMatch(/^NUGET_API_KEY<<(ghadelimiter_[0-9a-f-]{36})\n.+\n\1\n$/);
    expect(step.stdout).toContain(`::add-mask::${apiKey}`);
    // The issuer was asked for a token for the feed's audience, and the feed fetched the issuer's keys.
    expect(issuer.requests).toContain(`GET /token?api-version=2.0&audience=${encodeURIComponent(ctx.feed.origin)}`);
    expect(issuer.requests).toContain('GET /.well-known/openid-configuration');
    expect(issuer.requests).toContain('GET /.well-known/jwks');
  });

  it('pushes a package inside the policy ids with the issued key', async () => {
    const result = await push(ctx, files.widgets!, { apiKey });
    expect(result.code, describeRun(result)).toBe(0);
    expect(result.output).toContain('Your package was pushed.');
    expect(await flatVersions(ctx.feed, 'Contoso.Widgets')).toEqual(['1.0.0']);
  });

  it('refuses, with 403, a push of a package outside the policy ids', async () => {
    const result = await push(ctx, files.other!, { apiKey });
    expect(result.code, describeRun(result)).not.toBe(0);
    expect(result.output).toMatch(/Response status code does not indicate success: 403/);
    expect(result.output).toMatch(/may not push package 'Other\.Lib': it is limited to ids matching Contoso\.\*/);
    expect(await flatVersions(ctx.feed, 'Other.Lib')).toBeNull();
  });

  it('exchanges a token once: the replay is answered 401 "already been used"', async () => {
    const jwt = issuer.mint({ aud: ctx.feed.origin });
    const first = await exchange(jwt);
    expect(first.status, first.text).toBe(200);
    expect(first.body.tokenType).toBe('ApiKey');
    expect(typeof first.body.apiKey).toBe('string');
    const lifetime = Date.parse(String(first.body.expires)) - Date.now();
    expect(lifetime).toBeGreaterThan(0);
    expect(lifetime).toBeLessThanOrEqual(KEY_SECONDS * 1000 + 2000);

    const second = await exchange(jwt);
    expect(second.status, second.text).toBe(401);
    expect(second.headers.get('WWW-Authenticate')).toMatch(/^Bearer/);
    expect(second.body.error).toMatch(/already been used/);
    expect(second.body.apiKey).toBeUndefined();
  });

  it('fails the login of a user who created no policy, with the server error in its ::error:: line', async () => {
    const step = await loginStep('mallory');
    expect(step.code, step.stdout).toBe(1);
    expect(step.output).toBe('');
    const line = ERROR_LINE.exec(step.stdout);
    expect(line, step.stdout).not.toBeNull();
    expect(line![1]).toBe('401');
    expect(line![2]).toBe(tokenUrl);
    // The same exchange done directly: the step reports the server's own `error` text.
    const direct = await exchange(issuer.mint({ aud: ctx.feed.origin }), 'mallory');
    expect(direct.status, direct.text).toBe(401);
    expect(line![3]).toBe(direct.body.error);
    expect(line![3]).toMatch(/mallory/);
  });

  it('rejects the key with 401 once its lifetime is over', async () => {
    await sleep(Math.max(0, keyIssuedBy + (KEY_SECONDS + 1) * 1000 - Date.now()));
    const result = await push(ctx, files.gadgets!, { apiKey });
    expect(result.code, describeRun(result)).not.toBe(0);
    expect(result.output).toMatch(/Response status code does not indicate success: 401/);
    expect(result.output).toMatch(/expired at/);
    expect(await flatVersions(ctx.feed, 'Contoso.Gadgets')).toBeNull();
  });
});
