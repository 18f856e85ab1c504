/**
 * `edgeget deprecate` and `edgeget undeprecate`: a deprecation (reasons, message, alternative) on
 * some versions of an id, through the feed's /admin/deprecations. Clients show it in `dotnet list
 * package --deprecated`, Visual Studio and the gallery.
 */
import { adminCall, CliError, feedOf, printWarnings } from './feed.mjs';

/** The names the feed accepts, any case; the protocol's CriticalBugs is taken too. */
const REASONS = ['legacy', 'critical-bugs', 'criticalbugs', 'other'];
const VERSIONS_HELP = 'a version (exactly that one), * (every version) or a NuGet range such as "[1.0.0, 2.0.0)"';

/** `--reason` may be repeated and may list several names, comma-separated. */
function collectReasons(value, previous = []) {
  const names = value
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  for (const name of names) {
    if (!REASONS.includes(name.toLowerCase())) {
      throw new CliError(`unknown deprecation reason '${name}': use legacy, critical-bugs or other`);
    }
  }
  return [...previous, ...names];
}

/** `Other.Id` or `Other.Id@range`; an id never holds '@', so the first one separates them. */
function alternateOf(text) {
  const at = text.indexOf('@');
  const id = (at < 0 ? text : text.slice(0, at)).trim();
  const range = at < 0 ? undefined : text.slice(at + 1).trim();
  if (!id || range === '') {
    throw new CliError(
      `--alternate ${text}: give the other package as Other.Id, or Other.Id@range such as "[2.0.0, )"`,
    );
  }
  return range === undefined ? { id } : { id, range };
}

const listed = (versions) => versions.join(', ');

function report(result, done, already) {
  if (result.changed.length > 0) console.log(`${done} ${result.id} ${listed(result.changed)}.`);
  if (result.unchanged.length > 0) console.log(`${already}: ${listed(result.unchanged)} (left as they were).`);
  printWarnings(result.warnings);
}

async function deprecate(id, versions, options, command) {
  const feed = feedOf(command.optsWithGlobals());
  const body = { id, versions, reasons: options.reason };
  if (options.message !== undefined) body.message = options.message;
  if (options.alternate !== undefined) body.alternatePackage = alternateOf(options.alternate);
  const result = await adminCall(feed, 'POST', '/admin/deprecations', body);
  report(result, 'Deprecated', 'Already deprecated so');
}

async function undeprecate(id, versions, _options, command) {
  const feed = feedOf(command.optsWithGlobals());
  const query = new URLSearchParams({ id, versions });
  const result = await adminCall(feed, 'DELETE', `/admin/deprecations?${query}`);
  report(result, 'Undeprecated', 'Not deprecated');
}

export function deprecateCommands(program) {
  program
    .command('deprecate')
    .description('deprecate versions of a package: a reason, a message, an alternative (admin key only)')
    .argument('<id>', 'the package id')
    .argument('<version-or-range>', VERSIONS_HELP)
    .requiredOption(
      '--reason <reason>',
      'legacy, critical-bugs or other; repeat it or separate with commas for several',
      collectReasons,
    )
    .option('--message <text>', 'what clients show beside the deprecation (at most 4,000 characters)')
    .option('--alternate <Other.Id[@range]>', 'the package to use instead, and which of its versions (default any)')
    .action(deprecate);
  program
    .command('undeprecate')
    .description('take the deprecation off versions of a package (admin key only)')
    .argument('<id>', 'the package id')
    .argument('<version-or-range>', VERSIONS_HELP)
    .action(undeprecate);
}
