/**
 * `edgeget upstream status|forget`: what the pull-through upstream has cached (the feed's
 * /admin/upstream), and dropping an id's cached copy so that the id can be pushed here.
 */
import { adminCall, feedOf } from './feed.mjs';

/** Bytes in the largest unit that keeps a number of at least 1: `712 B`, `1.4 MB`. */
function size(bytes) {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

function breakerLine(breaker) {
  if (!breaker) return 'breaker: closed';
  if (breaker.openUntil > Date.now()) {
    return `breaker: open after ${plural(breaker.failures, 'error')} in a row; retrying after ${new Date(breaker.openUntil).toISOString()}`;
  }
  return `breaker: closed (${plural(breaker.failures, 'error')} in a row so far)`;
}

async function showStatus(options, command) {
  const status = await adminCall(feedOf(command.optsWithGlobals()), 'GET', '/admin/upstream');
  if (options.json) return console.log(JSON.stringify(status, null, 2));
  if (status.upstream === null) {
    console.log(
      status.problem ? `upstream: misconfigured: ${status.problem}` : 'upstream: none (UPSTREAM_URL is not set)',
    );
  } else {
    const reserved = status.reservedPrefixes.length > 0 ? status.reservedPrefixes.join(', ') : 'none';
    console.log(`upstream: ${status.upstream}`);
    console.log(
      `  lists fresh for ${status.versionsTtlSeconds} s, time limit ${status.timeoutSeconds} s, reserved: ${reserved}, search: ${status.search ? 'on' : 'off'}`,
    );
    console.log(breakerLine(status.breaker));
  }
  if (status.packages.length === 0) console.log('No ids are cached from the upstream.');
  else {
    const width = Math.max(...status.packages.map((p) => p.lowerId.length), 2);
    console.log(
      `${'id'.padEnd(width)}  ${'size'.padEnd(9)}  ${'files'.padEnd(8)}  last refresh              last error`,
    );
    for (const p of status.packages) {
      const error = p.lastError ? `${p.lastErrorAt} ${p.lastError}` : '';
      console.log(
        `${p.lowerId.padEnd(width)}  ${size(p.bytes).padEnd(9)}  ${plural(p.files, 'file').padEnd(8)}  ${p.lastRefresh}  ${error}`,
      );
    }
  }
  if (status.errors.length > 0) {
    console.log('recent upstream errors:');
    for (const e of status.errors) console.log(`  ${e.at}  ${e.lowerId || '(service index)'}  ${e.message}`);
  }
}

async function forget(id, _options, command) {
  const feed = feedOf(command.optsWithGlobals());
  const result = await adminCall(feed, 'DELETE', `/admin/upstream/${encodeURIComponent(id)}`);
  console.log(
    `Forgot the upstream copy of ${result.id} (${size(result.bytes)}): it is no longer served from the upstream, and may be pushed here.`,
  );
}

export function upstreamCommand(program) {
  const upstream = program
    .command('upstream')
    .description('the pull-through upstream feed: what it has cached, and forgetting an id (admin key only)');
  upstream
    .command('status')
    .description('cached ids, their sizes and last refresh, the breaker and recent upstream errors')
    .option('--json', 'as JSON', false)
    .action(showStatus);
  upstream
    .command('forget <id>')
    .description("drop an id's cached copy (files, lists, the claim) so that a local push of it is accepted")
    .action(forget);
}
