#!/usr/bin/env node
/** `npx edgeget <command>`: every operator command of an EdgeGet feed, local or deployed. */
import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { deleteCommand } from './delete.mjs';
import { deployCommand } from './deploy.mjs';
import { deprecateCommands } from './deprecate.mjs';
import { devCommand } from './dev.mjs';
import { exportCommand } from './exportFeed.mjs';
import { CliError, devUrl } from './feed.mjs';
import { importCommand } from './importFeed.mjs';
import { keysCommand } from './keys.mjs';
import { logCommand } from './log.mjs';
import { rebuildPagesCommand } from './rebuildPages.mjs';
import { retentionCommand } from './retention.mjs';
import { trustCommand } from './trust.mjs';
import { upstreamCommand } from './upstream.mjs';
import { vulnerabilityCommand } from './vulnerability.mjs';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

const program = new Command('edgeget')
  .description('Run, deploy and administer an EdgeGet NuGet feed.')
  .version(version)
  .addOption(
    new Option('--url <url>', `the feed (default ${devUrl()}, the dev server; PORT changes its port)`).env(
      'EDGEGET_URL',
    ),
  )
  .addOption(
    new Option('-k, --admin-key <key>', 'the admin key (default "local-dev-key" for a feed on this machine)').env(
      'NUGET_API_KEY',
    ),
  )
  .showHelpAfterError('(add --help for usage)')
  .configureHelp({ showGlobalOptions: true });

devCommand(program);
deployCommand(program);
keysCommand(program);
rebuildPagesCommand(program);
deprecateCommands(program);
vulnerabilityCommand(program);
importCommand(program);
exportCommand(program);
deleteCommand(program);
logCommand(program);
retentionCommand(program);
trustCommand(program);
upstreamCommand(program);

try {
  await program.parseAsync();
} catch (error) {
  if (!(error instanceof CliError)) throw error;
  console.error(`edgeget: ${error.message}`);
  process.exit(1);
}
