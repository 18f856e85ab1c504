/** `edgeget log [--id X]`: who (which key) changed what on the feed and when, newest first. */
import { InvalidArgumentError } from 'commander';
import { adminCall, feedOf } from './feed.mjs';

function count(value) {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new InvalidArgumentError('a whole number from 1 to 1000');
  return n;
}

/** The detail in one line: versions, advisory or rule, whatever the change was about. */
function describe(detail) {
  if (detail === null || typeof detail !== 'object') return String(detail ?? '');
  const { versions, version, url, reasons, deprecation, rule } = detail;
  const parts = [];
  if (Array.isArray(versions)) parts.push(versions.join(', '));
  if (version) parts.push(version);
  if (deprecation?.reasons ?? reasons) parts.push(`(${(deprecation?.reasons ?? reasons).join(', ')})`);
  if (url) parts.push(url);
  if (rule) parts.push(`rule ${rule}`);
  return parts.join(' ');
}

async function showLog(options, command) {
  const feed = feedOf(command.optsWithGlobals());
  const query = new URLSearchParams({ limit: String(options.limit), ...(options.id ? { id: options.id } : {}) });
  const { entries } = await adminCall(feed, 'GET', `/admin/log?${query}`);
  if (options.json) return console.log(JSON.stringify(entries, null, 2));
  if (entries.length === 0) return console.log('Nothing has been changed through the admin commands yet.');
  for (const entry of entries) {
    console.log(
      `${entry.at}  ${entry.actor.padEnd(12)} ${entry.action.padEnd(18)} ${entry.lowerId} ${describe(entry.detail)}`,
    );
  }
}

export function logCommand(program) {
  program
    .command('log')
    .description('show who changed what and when: deletes, deprecations, advisories, retention (admin key only)')
    .option('--id <id>', 'only this package id')
    .option('--limit <n>', 'entries to show (1-1000)', count, 50)
    .option('--json', 'as JSON', false)
    .action(showLog);
}
