/**
 * `edgeget delete <id> [<version>] --hard`: removes a version, or every version of an id, from the
 * feed for good (`dotnet nuget delete` only unlists). A deleted id+version cannot be pushed again
 * unless --allow-reuse says so, since clients and lock files keep packages by id and version.
 */
import { createInterface } from 'node:readline/promises';
import { adminCall, CliError, feedOf, printWarnings } from './feed.mjs';

/** A person at a terminal types the id back; a script says --yes. */
async function confirmed(what, id) {
  if (!process.stdin.isTTY) throw new CliError(`deleting ${what} cannot be undone: add --yes to confirm`);
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  const answer = await prompt.question(
    `Delete ${what} for good? It cannot be undone. Type the id (${id}) to confirm: `,
  );
  prompt.close();
  return answer.trim().toLowerCase() === id.toLowerCase();
}

async function deletePackage(id, version, options, command) {
  if (!options.hard) {
    throw new CliError('only a hard delete is done here (add --hard); to unlist, use dotnet nuget delete');
  }
  const feed = feedOf(command.optsWithGlobals());
  const what = version ? `${id} ${version}` : `every version of ${id}`;
  if (!options.yes && !(await confirmed(what, id))) throw new CliError('not confirmed: nothing was deleted');
  const path = `/admin/packages/${encodeURIComponent(id)}${version ? `/${encodeURIComponent(version)}` : ''}`;
  for (;;) {
    const result = await adminCall(feed, 'DELETE', `${path}?allowReuse=${options.allowReuse ? 'true' : 'false'}`);
    if (result.deleted.length > 0) console.log(`Deleted ${result.id} ${result.deleted.join(', ')}.`);
    else
      console.log(
        `${what} was deleted before; its leftovers are cleared${options.allowReuse ? ' and it may be pushed again' : ''}.`,
      );
    printWarnings(result.warnings);
    if (!result.more) break;
  }
  if (options.allowReuse) console.log('The deleted versions may be pushed again (--allow-reuse).');
}

export function deleteCommand(program) {
  program
    .command('delete')
    .description('delete a version, or every version of an id, for good (admin key only)')
    .argument('<id>', 'the package id')
    .argument('[version]', 'the version; without it, every version of the id')
    .option('--hard', 'really delete: the blobs go and the version leaves every view (required)', false)
    .option('--allow-reuse', 'let the same id and version be pushed again later', false)
    .option('-y, --yes', 'do not ask for confirmation', false)
    .action(deletePackage);
}
