/**
 * `edgeget rebuild-pages`: rewrites the feed's derived KV pages (registration documents, flat
 * version lists) from D1. Needed after a deploy that changed their shape; otherwise the scheduled
 * repair pass keeps them current.
 */
import { InvalidArgumentError } from 'commander';
import { adminCall, feedOf } from './feed.mjs';

function batchSize(value) {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 200) throw new InvalidArgumentError('a whole number from 1 to 200');
  return n;
}

async function rebuildPages(options, command) {
  const feed = feedOf(command.optsWithGlobals());
  const call = (query) => adminCall(feed, 'POST', `/admin/rebuild-pages?${new URLSearchParams(query)}`);
  if (options.id) {
    await call({ id: options.id });
    return console.log(`Rebuilt the pages of ${options.id}.`);
  }
  let after = '';
  let total = 0;
  for (;;) {
    const limit = String(options.batch);
    const result = await call(after ? { after, limit } : { limit });
    total += result.rebuilt;
    if (result.next === null) break;
    after = result.next;
    console.log(`… rebuilt ${total} ids, up to ${after}`);
  }
  console.log(`Rebuilt the pages of ${total} ids.`);
}

export function rebuildPagesCommand(program) {
  program
    .command('rebuild-pages')
    .description("rewrite the feed's KV pages from D1: every id, or one (admin key only)")
    .option('--id <id>', 'rebuild only this package id')
    .option('--batch <n>', 'ids per request when rebuilding every id (1-200)', batchSize, 50)
    .action(rebuildPages);
}
