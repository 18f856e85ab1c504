/** `edgeget keys`: API keys and read tokens, through the feed's /admin/keys (docs/auth.md). */
import { Option } from 'commander';
import { adminCall, CliError, feedOf } from './feed.mjs';

const SCOPES = ['push', 'push-version', 'unlist'];
const list = (text) =>
  (text ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

function describeKey(key) {
  const what = key.kind === 'read' ? 'read token (whole feed)' : `${key.scopes.join(',')} on ${key.ids.join(',')}`;
  const owned = key.ownedOnly ? ', owned ids only' : '';
  const expires = key.expires ? `, expires ${key.expires}` : '';
  return `${key.name} [${key.id}] ${key.state}: ${what}${owned}${expires}`;
}

async function create(options, command) {
  const feed = feedOf(command.optsWithGlobals());
  if (options.read && (options.scopes || options.ids || options.ownedOnly)) {
    throw new CliError('a read token (--read) reads the whole feed: leave out --scopes, --ids and --owned-only');
  }
  if (!options.read && !options.scopes) {
    throw new CliError(`an API key needs --scopes (any of ${SCOPES.join(', ')}), or --read for a read token`);
  }
  const body = options.read
    ? { name: options.name, kind: 'read', expires: options.expires }
    : {
        name: options.name,
        scopes: list(options.scopes),
        ids: options.ids ? list(options.ids) : undefined,
        ownedOnly: options.ownedOnly,
        expires: options.expires,
      };
  const key = await adminCall(feed, 'POST', '/admin/keys', body);
  if (options.json) return console.log(JSON.stringify(key, null, 2));
  console.log(`Created ${describeKey(key)}\n\n  ${key.key}\n`);
  console.log('This is the only time the secret is shown: store it now (e.g. as a CI secret).');
}

async function listKeys(options, command) {
  const { keys } = await adminCall(feedOf(command.optsWithGlobals()), 'GET', '/admin/keys');
  if (options.json) return console.log(JSON.stringify(keys, null, 2));
  if (keys.length === 0) return console.log('No keys yet (the admin key, NUGET_API_KEY, is not listed).');
  for (const key of keys) console.log(describeKey(key));
}

async function revoke(nameOrId, _options, command) {
  const feed = feedOf(command.optsWithGlobals());
  const { revoked } = await adminCall(feed, 'DELETE', `/admin/keys/${encodeURIComponent(nameOrId)}`);
  for (const key of revoked) console.log(`Revoked ${describeKey(key)}`);
}

export function keysCommand(program) {
  const keys = program.command('keys').description('create, list and revoke API keys and read tokens (admin key only)');
  keys
    .command('create')
    .description('make a scoped, hashed API key (or --read: a read token); prints the secret once')
    .requiredOption('--name <name>', 'a name to find and revoke the key by')
    .option('--scopes <list>', `what the key may do, comma-separated: ${SCOPES.join(', ')}`)
    .option('--ids <globs>', 'package ids it may act on, comma-separated globs such as "Contoso.*" (default: all)')
    .option('--owned-only', 'only ids this key created, or new ones', false)
    .option('--expires <date>', 'expiry, an ISO date such as 2027-01-01')
    .option('--read', 'a read token for a private feed instead of an API key', false)
    .addOption(new Option('--json', 'print the key as JSON').default(false))
    .action(create);
  keys
    .command('list')
    .description('list keys and read tokens (never their secrets)')
    .option('--json', 'as JSON', false)
    .action(listKeys);
  keys
    .command('revoke')
    .description('revoke a key or read token by name or id')
    .argument('<name-or-id>')
    .action(revoke);
}
