#!/usr/bin/env node
/**
 * Rewrites a deployed feed's KV pages (registration documents, flat version lists) from D1, by
 * calling its POST /admin/rebuild-pages endpoint. Run it after a deploy that changed the shape
 * of those documents; otherwise the scheduled repair pass keeps them current on its own.
 *
 *   npm run rebuild-pages -- --url https://nuget.example.com --key KEY            # every id
 *   npm run rebuild-pages -- --url https://nuget.example.com --key KEY --id My.Package
 *
 * --url   the feed's origin (or any URL on it; only the origin is used)
 * --key   the push API key (NUGET_API_KEY); NUGET_API_KEY from the environment when omitted
 * --id    rebuild only this package id
 * --batch ids per request when rebuilding every id (default 50, at most 200)
 */
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    key: { type: 'string' },
    id: { type: 'string' },
    batch: { type: 'string', default: '50' },
  },
});

const key = values.key ?? process.env.NUGET_API_KEY;
if (!values.url || !key) {
  console.error('usage: npm run rebuild-pages -- --url https://feed.example --key KEY [--id Package.Id] [--batch 50]');
  process.exit(2);
}
const origin = new URL(values.url).origin;

async function call(query) {
  const url = `${origin}/admin/rebuild-pages?${new URLSearchParams(query)}`;
  const response = await fetch(url, { method: 'POST', headers: { 'X-NuGet-ApiKey': key } });
  if (!response.ok) {
    const reason = response.headers.get('X-NuGet-Warning') ?? response.statusText;
    throw new Error(`POST ${url} answered ${response.status}: ${reason}`);
  }
  return response.json();
}

try {
  if (values.id) {
    await call({ id: values.id });
    console.log(`Rebuilt the pages of ${values.id}.`);
  } else {
    let after = '';
    let total = 0;
    for (;;) {
      const result = await call(after ? { after, limit: values.batch } : { limit: values.batch });
      total += result.rebuilt;
      if (result.next === null) break;
      after = result.next;
      console.log(`… rebuilt ${total} ids, up to ${after}`);
    }
    console.log(`Rebuilt the pages of ${total} ids.`);
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
