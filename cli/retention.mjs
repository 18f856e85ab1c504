/**
 * `edgeget retention set|list|remove|run`: rules that unlist or delete a package's old versions
 * (the feed's /admin/retention). The feed applies them on every scheduled repair pass; `run`
 * applies them now, and `run --dry-run` shows what a run would do without doing it.
 */
import { InvalidArgumentError, Option } from 'commander';
import { adminCall, CliError, feedOf, printWarnings } from './feed.mjs';

function count(value) {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw new InvalidArgumentError('a whole number, 0 or more');
  return n;
}

/** `30d` or `30`: days. */
function days(value) {
  const match = /^(\d+)d?$/.exec(value.trim());
  if (!match) throw new InvalidArgumentError('a number of days, such as 30d');
  return Number(match[1]);
}

const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** What a rule keeps, in words: "stable: newest 3; prerelease: newest 5 or from the last 30 days; unlist the rest". */
export function describeRule(rule) {
  const stable = rule.keepStable === null ? 'all' : `newest ${rule.keepStable}`;
  const keep = [];
  if (rule.keepPrerelease !== null) keep.push(`newest ${rule.keepPrerelease}`);
  if (rule.prereleaseOlderThanDays !== null) keep.push(`from the last ${plural(rule.prereleaseOlderThanDays, 'day')}`);
  const prerelease = keep.length === 0 ? 'all' : keep.join(' or ');
  return `stable: ${stable}; prerelease: ${prerelease}; ${rule.action} the rest`;
}

async function setRule(pattern, options, command) {
  const feed = feedOf(command.optsWithGlobals());
  const body = { pattern, action: options.action };
  if (options.keepStable !== undefined) body.keepStable = options.keepStable;
  if (options.keepPrerelease !== undefined) body.keepPrerelease = options.keepPrerelease;
  if (options.prereleaseOlderThan !== undefined) body.prereleaseOlderThanDays = options.prereleaseOlderThan;
  const { rule, outcome } = await adminCall(feed, 'PUT', '/admin/retention', body);
  console.log(
    `${outcome === 'added' ? 'Added' : 'Changed'} the retention rule ${rule.pattern}: ${describeRule(rule)}.`,
  );
}

async function listRules(options, command) {
  const { rules } = await adminCall(feedOf(command.optsWithGlobals()), 'GET', '/admin/retention');
  if (options.json) return console.log(JSON.stringify(rules, null, 2));
  if (rules.length === 0) return console.log('No retention rules: every version stays.');
  const width = Math.max(...rules.map((rule) => rule.pattern.length));
  for (const rule of rules) console.log(`${rule.pattern.padEnd(width)}  ${describeRule(rule)}`);
}

async function removeRule(pattern, _options, command) {
  const feed = feedOf(command.optsWithGlobals());
  const { rule } = await adminCall(feed, 'DELETE', `/admin/retention?${new URLSearchParams({ pattern })}`);
  console.log(`Removed the retention rule ${rule.pattern}.`);
}

const done = { unlist: 'unlisted', delete: 'deleted' };

/** Without --limit a real run asks again while the feed says actions remain, so it does them all. */
async function runRules(options, command) {
  const feed = feedOf(command.optsWithGlobals());
  const dryRun = options.dryRun;
  const all = { dryRun, actions: [], failed: [], kept: [], remaining: 0, warnings: [] };
  for (;;) {
    const query = new URLSearchParams({
      dryRun: String(dryRun),
      ...(options.limit === undefined ? {} : { limit: String(options.limit) }),
    });
    const result = await adminCall(feed, 'POST', `/admin/retention/run?${query}`);
    all.actions.push(...result.actions);
    all.failed.push(...result.failed);
    all.warnings.push(...result.warnings.filter((warning) => !all.warnings.includes(warning)));
    Object.assign(all, { kept: result.kept, remaining: result.remaining });
    if (!options.json) {
      for (const a of result.actions)
        console.log(`${dryRun ? a.action : done[a.action]} ${a.id} ${a.version} (rule ${a.rule})`);
    }
    if (dryRun || options.limit !== undefined || result.remaining === 0 || result.actions.length === 0) break;
  }
  if (options.json) return console.log(JSON.stringify(all, null, 2));
  for (const kept of all.kept) console.log(`kept ${kept.id} ${kept.version}: ${kept.reason}`);
  for (const f of all.failed) console.error(`failed to ${f.action} ${f.id} ${f.version} (rule ${f.rule}): ${f.error}`);
  printWarnings(all.warnings);
  const verb = dryRun ? 'would be unlisted or deleted' : 'unlisted or deleted';
  console.log(`${plural(all.actions.length, 'version')} ${verb}${dryRun ? '; nothing was changed' : ''}.`);
  if (all.remaining > 0) console.log(`${all.remaining} more wait for the next run.`);
  if (all.failed.length > 0) throw new CliError(`${plural(all.failed.length, 'action')} failed`);
}

export function retentionCommand(program) {
  const retention = program
    .command('retention')
    .description('rules that unlist or delete old versions, applied on every repair pass (admin key only)');
  retention
    .command('set')
    .description('set the rule for a package id or id pattern (Contoso.*), replacing its rule if it has one')
    .argument('<pattern>', 'a package id, or a pattern with * such as Contoso.* or *')
    .option('--keep-stable <n>', 'keep the newest N stable versions (default: keep every stable version)', count)
    .option('--keep-prerelease <n>', 'keep the newest N prereleases', count)
    .option('--prerelease-older-than <days>', 'remove only prereleases older than this, e.g. 30d', days)
    .addOption(
      new Option('--action <action>', 'what happens to the others; delete is for good')
        .choices(['unlist', 'delete'])
        .default('unlist'),
    )
    .action(setRule);
  retention.command('list').description('show the rules').option('--json', 'as JSON', false).action(listRules);
  retention.command('remove').description('remove the rule of a pattern').argument('<pattern>').action(removeRule);
  retention
    .command('run')
    .description('apply the rules now; the latest stable and prerelease and exactly pinned versions always stay')
    .option('--dry-run', 'only show what a run would do, and what it keeps and why', false)
    .option('--limit <n>', 'at most N actions (1-500), in one request', count)
    .option('--json', 'as JSON', false)
    .action(runRules);
}
