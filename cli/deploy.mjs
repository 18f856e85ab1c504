/**
 * `edgeget deploy` (`npm run deploy`): one command from a fresh Cloudflare account (after
 * `npx wrangler login`) to a serving feed. wrangler.toml names the D1 database, R2 bucket and KV
 * namespace without ids; wrangler creates whichever does not exist yet when it deploys. D1 needs
 * its migrations before the new code serves, so the database is found or created first.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CliError } from './feed.mjs';
import { repoRoot, runWrangler } from './wrangler.mjs';

const ADMIN_SECRET = 'NUGET_API_KEY';
const kb = (bytes) => `${Math.round(bytes / 1024)} KB`;

async function wrangler(step, args, options) {
  const result = await runWrangler(args, options);
  if (result.code !== 0) {
    throw new CliError(
      `${step} failed (wrangler exit ${result.code}; its message is above). Not logged in? Run \`npx wrangler login\`, ` +
        'or set CLOUDFLARE_API_TOKEN (and CLOUDFLARE_ACCOUNT_ID) in CI, then `npm run deploy` again.',
    );
  }
  return result.stdout;
}

async function readDatabase() {
  const { unstable_readConfig } = await import('wrangler');
  const config = unstable_readConfig({ config: join(repoRoot, 'wrangler.toml') });
  const db = config.d1_databases.find((d) => d.binding === 'DB');
  if (!db?.database_name) throw new CliError('wrangler.toml has no [[d1_databases]] binding "DB" with a database_name');
  return { worker: config.name, db };
}

/** The database's id: from wrangler.toml, else found by name, else created. */
async function databaseId(db) {
  if (db.database_id) return db.database_id;
  const find = async () => {
    const listed = JSON.parse(await wrangler('Listing D1 databases', ['d1', 'list', '--json'], { capture: true }));
    return listed.find((d) => d.name === db.database_name)?.uuid;
  };
  const found = await find();
  if (found) return found;
  console.log(`Creating the D1 database "${db.database_name}"…`);
  await wrangler('Creating the D1 database', ['d1', 'create', db.database_name]);
  const created = await find();
  if (!created)
    throw new CliError(`D1 database "${db.database_name}" was created but does not show in \`wrangler d1 list\``);
  return created;
}

/** Applies migrations/ remotely; wrangler needs the id in a config, so one without it gets a temporary one. */
async function migrate(worker, db, id) {
  if (db.database_id) return wrangler('Applying the D1 migrations', ['d1', 'migrations', 'apply', 'DB', '--remote']);
  const dir = join(repoRoot, '.wrangler');
  mkdirSync(dir, { recursive: true });
  const config = join(dir, 'edgeget-migrations.json');
  const binding = { binding: 'DB', database_name: db.database_name, database_id: id, migrations_dir: '../migrations' };
  writeFileSync(config, JSON.stringify({ name: worker, d1_databases: [binding] }));
  try {
    await wrangler('Applying the D1 migrations', ['d1', 'migrations', 'apply', 'DB', '--remote', '--config', config]);
  } finally {
    rmSync(config, { force: true });
  }
}

/** A feed without its admin secret cannot make keys: set one, or say exactly how. */
async function ensureAdminKey() {
  const secrets = JSON.parse(
    await wrangler('Listing secrets', ['secret', 'list', '--format', 'json'], { capture: true }),
  );
  if (secrets.some((s) => s.name === ADMIN_SECRET)) return console.log(`Admin key: the ${ADMIN_SECRET} secret is set.`);
  if (!process.stdin.isTTY || process.env.CI) {
    return console.log(`\nSet the admin key before you use the feed:\n  npx wrangler secret put ${ADMIN_SECRET}`);
  }
  const key = randomBytes(32).toString('base64url');
  await wrangler('Setting the admin key', ['secret', 'put', ADMIN_SECRET], { input: key });
  console.log(`\nGenerated the admin key (the ${ADMIN_SECRET} secret). It is shown only this once:\n\n  ${key}\n`);
  console.log('Use it with `npx edgeget keys create --url https://<your feed> --admin-key …` to make push keys.');
}

async function dryRun(wranglerArgs) {
  const outdir = mkdtempSync(join(tmpdir(), 'edgeget-deploy-'));
  try {
    await wrangler('Building the deploy bundle', ['deploy', '--dry-run', '--outdir', outdir, ...wranglerArgs]);
    const bundle = readFileSync(join(outdir, 'index.js'));
    console.log(`\nWorker bundle: ${kb(bundle.length)}, ${kb(gzipSync(bundle).length)} gzipped.`);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
  const { db } = await readDatabase();
  console.log(`A deploy would: find or create the D1 database "${db.database_name}", apply migrations/ to it,
deploy (creating the R2 bucket and KV namespace if missing), and check the ${ADMIN_SECRET} secret.`);
}

async function deploy(wranglerArgs, options) {
  if (options.dryRun) return dryRun(wranglerArgs);
  const { worker, db } = await readDatabase();
  const id = await databaseId(db);
  await migrate(worker, db, id);
  await wrangler('Deploying', ['deploy', ...wranglerArgs]);
  await ensureAdminKey();
  console.log('\nServe it on a custom domain for edge caching (README, "Deploy").');
}

export function deployCommand(program) {
  program
    .command('deploy')
    .description('create what is missing (D1, R2, KV), apply the D1 migrations, deploy, check the admin key')
    .argument('[wrangler-args...]', 'more arguments for `wrangler deploy`, after `--`')
    .option('--dry-run', 'only build the bundle and report its size; change nothing', false)
    .action(deploy);
}
