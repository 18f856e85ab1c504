#!/usr/bin/env node
/**
 * Manages a feed's API keys and read tokens through its /admin/keys endpoint (docs/auth.md), which
 * only the admin key (the NUGET_API_KEY secret) may call. Works the same against `npm run dev` and
 * a deployed feed.
 *
 *   npm run keys -- create --name ci --scopes push,push-version --ids "Contoso.*" [--expires 2027-01-01] [--owned-only]
 *   npm run keys -- create --read --name build-agents [--expires 2027-01-01]
 *   npm run keys -- list [--json]
 *   npm run keys -- revoke <name|id>
 *
 * --url        the feed's origin (default http://127.0.0.1:8787, the dev server)
 * --admin-key  the admin key (default NUGET_API_KEY from the environment, else "local-dev-key")
 */
import { parseArgs } from 'node:util';

const USAGE = `usage:
  npm run keys -- create --name NAME --scopes push,push-version,unlist [--ids "Contoso.*,Fabrikam.*"] [--expires 2027-01-01] [--owned-only]
  npm run keys -- create --read --name NAME [--expires 2027-01-01]
  npm run keys -- list [--json]
  npm run keys -- revoke NAME|ID
options: --url http://127.0.0.1:8787  --admin-key KEY (default: $NUGET_API_KEY, else local-dev-key)`;

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      url: { type: 'string', default: 'http://127.0.0.1:8787' },
      'admin-key': { type: 'string' },
      name: { type: 'string' },
      scopes: { type: 'string' },
      ids: { type: 'string' },
      expires: { type: 'string' },
      'owned-only': { type: 'boolean', default: false },
      read: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
} catch (error) {
  console.error(`${error.message}\n${USAGE}`);
  process.exit(2);
}
const { values, positionals } = parsed;
const [command, ...rest] = positionals;
const adminKey = values['admin-key'] ?? process.env.NUGET_API_KEY ?? 'local-dev-key';
const keysUrl = `${new URL(values.url).origin}/admin/keys`;
const list = (text) =>
  (text ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

async function call(method, path = '', body = undefined) {
  const response = await fetch(`${keysUrl}${path}`, {
    method,
    headers: { 'X-NuGet-ApiKey': adminKey, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) {
    const reason = response.headers.get('X-NuGet-Warning') ?? response.statusText;
    throw new Error(`${method} ${keysUrl}${path} answered ${response.status}: ${reason}`);
  }
  return response.json();
}

function describeKey(key) {
  const what = key.kind === 'read' ? 'read token (whole feed)' : `${key.scopes.join(',')} on ${key.ids.join(',')}`;
  const owned = key.ownedOnly ? ', owned ids only' : '';
  const expires = key.expires ? `, expires ${key.expires}` : '';
  return `${key.name} [${key.id}] ${key.state}: ${what}${owned}${expires}`;
}

async function create() {
  if (!values.name) throw new Error('create needs --name');
  const body = values.read
    ? { name: values.name, kind: 'read', expires: values.expires }
    : {
        name: values.name,
        scopes: list(values.scopes),
        ids: values.ids ? list(values.ids) : undefined,
        ownedOnly: values['owned-only'],
        expires: values.expires,
      };
  const key = await call('POST', '', body);
  if (values.json) return console.log(JSON.stringify(key, null, 2));
  console.log(`Created ${describeKey(key)}`);
  console.log(`\n  ${key.key}\n`);
  console.log('This is the only time the secret is shown: store it now (e.g. as a CI secret).');
}

async function listKeys() {
  const { keys } = await call('GET');
  if (values.json) return console.log(JSON.stringify(keys, null, 2));
  if (keys.length === 0) return console.log('No keys yet (the admin key, NUGET_API_KEY, is not listed).');
  for (const key of keys) console.log(describeKey(key));
}

async function revoke() {
  if (rest.length !== 1) throw new Error('revoke needs one key name or id');
  const { revoked } = await call('DELETE', `/${encodeURIComponent(rest[0])}`);
  for (const key of revoked) console.log(`Revoked ${describeKey(key)}`);
}

const commands = { create, list: listKeys, revoke };
if (!commands[command]) {
  console.error(USAGE);
  process.exit(2);
}
try {
  await commands[command]();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
