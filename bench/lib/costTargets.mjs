/**
 * The feed and the requests the "cost" section measures (bench/cost.mjs): a bulk-loaded feed
 * (bench/lib/bulk.mjs) of ids with one version each and a few ids whose registration has separate
 * pages, and per endpoint two request lists: "cold", every URL requested once (each a miss of the
 * edge cache, which is keyed by origin: each wrangler dev has its own), and "warm", one URL again
 * and again (hits, for the cached documents).
 */
import http from 'node:http';
import { feedSql, scaleIds, WORDS } from './bulk.mjs';
import { get } from './cpu.mjs';
import { buildNupkg, push } from './nupkg.mjs';

/** Versions of each paged id: 10 registration pages of 64. */
const PAGED_VERSIONS = 640;
const SEARCH_IDS = 1_000;
const GZIP = { 'Accept-Encoding': 'gzip' };
/** A download's count reaches its Durable Object off the request path (ctx.waitUntil); this outlasts that and its 1 s save. */
const DOWNLOAD_SETTLE_MS = 2_500;

const pagedIds = (cold) => Array.from({ length: Math.ceil(cold / 10) }, (_, i) => `Bench.Cost.Paged.P${i}`);

/** SQL for the feed; the first `cold` single ids and the paged ids need their documents rebuilt. */
export function costFeed(cold) {
  const singles = scaleIds(Math.max(SEARCH_IDS, cold));
  const paged = pagedIds(cold);
  return {
    sql: feedSql({ singles, many: paged.map((id) => ({ id, versions: PAGED_VERSIONS })) }),
    rebuild: [...singles.slice(0, cold), ...paged],
    singles: singles.slice(0, cold).map((id) => id.toLowerCase()),
  };
}

/** GETs `urls` in order on one kept-alive socket; the count of requests, or a throw on a failure. */
async function getAll(urls, headers = {}) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    for (const url of urls) {
      const { status } = await get(url, headers, agent);
      if (status !== 200) throw new Error(`GET ${url} answered ${status}`);
    }
  } finally {
    agent.destroy();
  }
  return urls.length;
}

const repeat = (url, times) => Array.from({ length: times }, () => url);

/** The first `count` registration page URLs of the paged ids, read from their indexes. */
async function pageUrls(origin, cold) {
  const urls = [];
  for (const id of pagedIds(cold)) {
    const response = await fetch(`${origin}/v3/registration-gz-semver2/${id.toLowerCase()}/index.json`);
    if (!response.ok) throw new Error(`registration index of ${id} answered ${response.status}`);
    urls.push(...(await response.json()).items.map((item) => item['@id']));
  }
  return urls.slice(0, cold);
}

/**
 * The measured steps on one feed, in order: [{ endpoint, cache, run: () => Promise<requests>,
 * settleMs }]. `tag` keeps each phase's pushed ids apart (they are new ids).
 */
export async function costTargets(worker, { singles, cold, warm, pushes, tag }) {
  const origin = worker.origin;
  const pushed = Array.from({ length: pushes }, (_, i) => `bench.cost.push.${tag}${i}`);
  const nupkg = (lowerId) => `${origin}/v3/flat/${lowerId}/1.0.0/${lowerId}.1.0.0.nupkg`;
  const pages = await pageUrls(origin, cold);
  const words = WORDS.slice(0, 40);
  const queries = Array.from({ length: cold }, (_, i) => `${words[i % 40]} ${words[(i * 7 + 3) % 40]}`);
  const prefixes = Array.from({ length: cold }, (_, i) => `${words[i % 40]?.slice(0, 3 + (Math.floor(i / 40) % 3))}`);
  const search = (q) => `${origin}/v3/query?${new URLSearchParams({ q, prerelease: 'true', semVerLevel: '2.0.0' })}`;
  const complete = (q) =>
    `${origin}/v3/autocomplete?${new URLSearchParams({ q, prerelease: 'true', semVerLevel: '2.0.0' })}`;
  const flat = (id) => `${origin}/v3/flat/${id}/index.json`;
  const index = (id) => `${origin}/v3/registration-gz-semver2/${id}/index.json`;
  const pushAll = async () => {
    for (const id of pushed) {
      const result = await push(origin, buildNupkg({ id, version: '1.0.0', description: `A ${tag} cost push.` }));
      if (result.status !== 201) throw new Error(`push of ${id} answered ${result.status}: ${result.warning}`);
    }
    return pushed.length;
  };
  const step = (endpoint, cache, run, settleMs = 150) => ({ endpoint, cache, run, settleMs });
  const NOT_CACHED = 'not cached';
  return [
    step('push (new id, small package)', NOT_CACHED, pushAll),
    step('flat index', 'cold', () => getAll(singles.map(flat))),
    step('flat index', 'warm', () => getAll(repeat(flat(singles[0]), warm))),
    step('nupkg download', `${NOT_CACHED}, first`, () => getAll(pushed.map(nupkg)), DOWNLOAD_SETTLE_MS),
    step('nupkg download', `${NOT_CACHED}, again`, () => getAll(repeat(nupkg(pushed[0]), warm)), DOWNLOAD_SETTLE_MS),
    step('registration index (gz)', 'cold', () => getAll(singles.map(index), GZIP)),
    step('registration index (gz)', 'warm', () => getAll(repeat(index(singles[0]), warm), GZIP)),
    step('registration page (gz)', 'cold', () => getAll(pages, GZIP)),
    step('registration page (gz)', 'warm', () => getAll(repeat(pages[0], warm), GZIP)),
    step('search', `${NOT_CACHED}, distinct`, () => getAll(queries.map(search))),
    step('search', `${NOT_CACHED}, one query`, () => getAll(repeat(search('json'), warm))),
    step('autocomplete', `${NOT_CACHED}, distinct`, () => getAll(prefixes.map(complete))),
    step('autocomplete', `${NOT_CACHED}, one query`, () => getAll(repeat(complete('scale.js'), warm))),
  ];
}
