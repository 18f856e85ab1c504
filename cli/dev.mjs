/**
 * `edgeget dev` (`npm run dev`): the whole feed on this machine. Applies the D1 migrations to the
 * local database, then runs `wrangler dev --local` with the local D1/R2/KV simulation (kept in
 * .wrangler/state, or --persist-to) and the push key NUGET_API_KEY (default "local-dev-key").
 */
import { InvalidArgumentError, Option } from 'commander';
import { DEV_API_KEY, devPort } from './feed.mjs';
import { runWrangler } from './wrangler.mjs';

function port(value) {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new InvalidArgumentError('a port number from 1 to 65535');
  return n;
}

function variable(value, previous) {
  if (!/^[A-Za-z_][A-Za-z0-9_]*:/.test(value)) throw new InvalidArgumentError('NAME:VALUE, e.g. PRIVATE_FEED:true');
  return [...previous, value];
}

function banner(origin, apiKey, keyFromEnv) {
  const source = `${origin}/v3/index.json`;
  return `
EdgeGet local feed: ${source}
Push key (NUGET_API_KEY): ${apiKey}${keyFromEnv ? '' : '   (default; set NUGET_API_KEY to choose another)'}

NuGet.Config (plain http needs allowInsecureConnections):
  <configuration>
    <packageSources>
      <add key="edgeget-local" value="${source}" allowInsecureConnections="true" />
    </packageSources>
  </configuration>

Push:
  dotnet nuget push MyPackage.1.0.0.nupkg --source edgeget-local --api-key ${apiKey}
  (or: --source ${source} --allow-insecure-connections)
Admin (keys, rebuild): npx edgeget --help${origin.endsWith(':8787') ? '' : `   (with PORT=${new URL(origin).port} or --url ${origin})`}
`;
}

async function dev(wranglerArgs, options) {
  const persist = options.persistTo ? ['--persist-to', options.persistTo] : [];
  const migrated = await runWrangler(['d1', 'migrations', 'apply', 'DB', '--local', ...persist]);
  if (migrated.code !== 0) {
    console.error(`Applying the D1 migrations to the local database failed (wrangler exit ${migrated.code}).`);
    process.exit(migrated.code || 1);
  }
  const apiKey = process.env.NUGET_API_KEY || DEV_API_KEY;
  const host = options.ip.includes(':') ? `[${options.ip}]` : options.ip;
  console.log(banner(`http://${host}:${options.port}`, apiKey, Boolean(process.env.NUGET_API_KEY)));
  const args = ['dev', '--local', '--ip', options.ip, '--port', String(options.port), ...persist];
  const vars = [`NUGET_API_KEY:${apiKey}`, ...options.var].flatMap((v) => ['--var', v]);
  const served = await runWrangler([...args, ...vars, ...wranglerArgs]);
  process.exit(served.code);
}

export function devCommand(program) {
  program
    .command('dev')
    .description('serve the feed locally on its embedded storage (local D1, R2 and KV)')
    .argument('[wrangler-args...]', 'more arguments for `wrangler dev`, after `--`')
    .addOption(
      new Option('-p, --port <port>', 'port to listen on').env('PORT').argParser(port).default(Number(devPort())),
    )
    .option('--ip <address>', 'address to listen on', '127.0.0.1')
    .option('--persist-to <dir>', 'where the local D1/R2/KV data lives (default .wrangler/state)')
    .option('--var <name:value>', 'set a var of wrangler.toml, e.g. PRIVATE_FEED:true (repeatable)', variable, [])
    .action(dev);
}
