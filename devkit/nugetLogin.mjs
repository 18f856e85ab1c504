#!/usr/bin/env node
/**
 * A stand-in for the `NuGet/login` GitHub Action, written for EdgeGet's tests: it makes the same two requests
 * with the same headers and bodies, reads the same inputs from the same environment variables, and reports the
 * same way (workflow commands on stdout, the `NUGET_API_KEY` output in $GITHUB_OUTPUT, exit code 1 on failure).
 *
 *   env INPUT_USER=alice 'INPUT_TOKEN-SERVICE-URL=http://127.0.0.1:8787/api/v2/token' \
 *       INPUT_AUDIENCE=http://127.0.0.1:8787 ACTIONS_ID_TOKEN_REQUEST_URL=… ACTIONS_ID_TOKEN_REQUEST_TOKEN=… \
 *       GITHUB_OUTPUT=/tmp/out node devkit/nugetLogin.mjs
 *
 * 1. GET  $ACTIONS_ID_TOKEN_REQUEST_URL&audience=<audience>   Authorization: Bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN
 * 2. POST <token-service-url>  {"username":"<user>","tokenType":"ApiKey"}   Authorization: Bearer <OIDC token>
 * 3. 200 {"apiKey": …} → output NUGET_API_KEY; any other status fails with the server's `error`.
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, realpathSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { EOL } from 'node:os';
import { fileURLToPath } from 'node:url';

const DEFAULT_TOKEN_SERVICE_URL = 'https://www.nuget.org/api/v2/token';
const DEFAULT_AUDIENCE = 'https://www.nuget.org';

/**
 * @typedef {object} LoginResult
 * @property {number} code The exit code: 0 when NUGET_API_KEY was set, 1 otherwise.
 * @property {string} stdout Workflow commands (`::add-mask::`, `::error::`) and progress lines.
 * @property {string} stderr
 * @property {string} [apiKey] The key obtained, on success.
 */

/** Workflow-command escaping of a message (the runner reads one command per line). */
const escapeData = (/** @type {string} */ text) =>
  text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');

/**
 * One HTTP request with exactly the given headers (node:http adds only Host, Connection and Content-Length).
 * @param {string} url
 * @param {{ method: string, headers: Record<string, string>, body?: string }} init
 * @returns {Promise<{ status: number, body: string }>}
 */
function send(url, init) {
  const target = new URL(url);
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((done, failed) => {
    const outgoing = request(target, { method: init.method, headers: init.headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => {
        body += chunk;
      });
      response.on('end', () => done({ status: response.statusCode ?? 0, body }));
      response.on('error', failed);
    });
    outgoing.on('error', failed);
    outgoing.end(init.body);
  });
}

/** @param {string} body */
function parseJson(body) {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/**
 * Runs the login step against `env` (default this process's environment) and returns its outcome; it appends
 * to the file named by GITHUB_OUTPUT but writes nothing to this process's stdout.
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {Promise<LoginResult>}
 */
/**
 * The token exchange exactly as the login step sends it: method, the three headers and the body.
 * @param {string} jwt the OIDC token
 * @param {string} user the step's `user` input
 */
export function exchangeRequest(jwt, user) {
  return {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Authorization: `Bearer ${jwt}`,
      'User-Agent': 'nuget/login-action',
    },
    body: JSON.stringify({ username: user, tokenType: 'ApiKey' }),
  };
}

export async function login(env = process.env) {
  let stdout = '';
  const print = (/** @type {string} */ line) => {
    stdout += `${line}${EOL}`;
  };
  const fail = (/** @type {string} */ message) => {
    print(`::error::${escapeData(message)}`);
    return { code: 1, stdout, stderr: '' };
  };
  const input = (/** @type {string} */ name) => (env[`INPUT_${name.toUpperCase()}`] ?? '').trim();

  try {
    const user = input('user');
    if (!user) return fail('Input required and not supplied: user');
    const tokenServiceUrl = input('token-service-url') || DEFAULT_TOKEN_SERVICE_URL;
    const audience = input('audience') || DEFAULT_AUDIENCE;

    const requestToken = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
    const requestUrl = env.ACTIONS_ID_TOKEN_REQUEST_URL;
    if (!requestToken || !requestUrl) {
      return fail(
        'No GitHub OIDC token is available to this job (ACTIONS_ID_TOKEN_REQUEST_URL / ACTIONS_ID_TOKEN_REQUEST_TOKEN ' +
          "are not set): give the workflow or job 'permissions: id-token: write'.",
      );
    }
    print(`::add-mask::${requestToken}`);

    // 1. The runner's ID-token endpoint; its URL already carries a query (api-version), hence '&'.
    const oidc = await send(`${requestUrl}&audience=${encodeURIComponent(audience)}`, {
      method: 'GET',
      headers: { Accept: 'application/json', Authorization: `Bearer ${requestToken}` },
    });
    const oidcBody = parseJson(oidc.body);
    const jwt = oidc.status === 200 && typeof oidcBody?.value === 'string' ? oidcBody.value : '';
    if (!jwt) {
      const detail = typeof oidcBody?.message === 'string' ? oidcBody.message : oidc.body;
      return fail(`Failed to retrieve OIDC token from GitHub (HTTP ${oidc.status})${detail ? `: ${detail}` : '.'}`);
    }

    // 2. The exchange.
    print(`Exchanging the GitHub OIDC token for a NuGet API key at ${tokenServiceUrl} (user '${user}')`);
    const exchange = await send(tokenServiceUrl, exchangeRequest(jwt, user));
    const answer = parseJson(exchange.body);
    if (exchange.status !== 200) {
      const reason = typeof answer?.error === 'string' ? answer.error : exchange.body;
      return fail(
        `Token exchange failed (HTTP ${exchange.status}) at ${tokenServiceUrl}. ` +
          `Make sure you are using the username of the policy creator, not the policy owner: ${reason}`,
      );
    }
    if (answer === undefined)
      return fail(`The token service answered 200 with a body that is not JSON: ${exchange.body}`);
    const apiKey = answer?.apiKey;
    if (typeof apiKey !== 'string' || !apiKey) return fail('Response did not contain "apiKey".');
    print(`::add-mask::${apiKey}`);

    // 3. The step output.
    const outputFile = env.GITHUB_OUTPUT;
    if (outputFile) {
      if (!existsSync(outputFile)) return fail(`Missing file at path: ${outputFile}`);
      const delimiter = `ghadelimiter_${randomUUID()}`;
      appendFileSync(outputFile, `NUGET_API_KEY<<${delimiter}${EOL}${apiKey}${EOL}${delimiter}${EOL}`, 'utf8');
    } else {
      // No output file: the old stdout command, as runners before file commands read it.
      print('');
      print(`::set-output name=NUGET_API_KEY::${escapeData(apiKey)}`);
    }
    print('Obtained a short-lived NuGet API key: it is in the NUGET_API_KEY output of this step.');
    return { code: 0, stdout, stderr: '', apiKey };
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
}

/**
 * Reads the NUGET_API_KEY output back from a GITHUB_OUTPUT file (the last value written), or null.
 * @param {string} text The file's content.
 */
export function readOutput(text, name = 'NUGET_API_KEY') {
  /** @type {string | null} */
  let value = null;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[i] ?? '');
    if (!match) continue;
    const end = lines.indexOf(match[2] ?? '', i + 1);
    if (end < 0) break;
    if (match[1] === name) value = lines.slice(i + 1, end).join('\n');
    i = end;
  }
  return value;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === realpathSync(process.argv[1])) {
  const result = await login();
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  process.exitCode = result.code;
}
