/**
 * `edgeget import --from <V3 service index | folder>`: every version of another feed, or every
 * .nupkg below a folder, pushed byte for byte to the feed at --url, then given the source's listed
 * state and deprecation, and its advisories. A version the target has is not uploaded again, so
 * a second run finishes an interrupted one and otherwise changes nothing.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Option } from 'commander';
import { unzipSync } from 'fflate';
import { readManifest } from './exportFeed.mjs';
import { adminCall, CliError, feedOf } from './feed.mjs';
import * as v3 from './feedSource.mjs';
import { concurrencyOf, newTally, pool, progress, push, setListed, summarize } from './transfer.mjs';

/** Each version: { version (normalized, lower), listed, deprecation, nupkg(), snupkg() → bytes or null }. */
async function fromFeed(url, options) {
  const hint = options.sourceCredentials
    ? 'it refused --source-credentials (or EDGEGET_SOURCE_CREDENTIALS): check the user name and token'
    : 'it wants credentials: pass --source-credentials user:token (or set EDGEGET_SOURCE_CREDENTIALS)';
  const source = await v3.openSource(url, v3.basicAuth(options.sourceCredentials), hint);
  const download = async (path, optional) => {
    const response = await v3.request(`${source.flat}${path}`, { headers: source.headers });
    if (optional && response.status === 404) return null;
    if (!response.ok) throw new Error(`the source answered ${v3.failureOf(response)} for ${path}`);
    return new Uint8Array(await response.arrayBuffer());
  };
  const ids = await v3.versionsOf(source);
  const packages = [];
  await pool([...ids], 8, async ([lowerId, { id, versions }]) => {
    // Without its registration an id's listed state is unknown: its versions fail, the others go on.
    const states = await v3.registrationOf(source, lowerId).catch((error) => error);
    const problem = states instanceof Error ? `its registration could not be read (${states.message})` : undefined;
    const file = (v, kind) => `${lowerId}/${v}/${lowerId}.${v}.${kind}`;
    const entries = [...versions].map((v) => ({
      version: v,
      listed: problem ? true : (states.get(v)?.listed ?? true),
      deprecation: problem ? null : (states.get(v)?.deprecation ?? null),
      nupkg: () => download(file(v, 'nupkg'), false),
      snupkg: () => download(file(v, 'snupkg'), true),
    }));
    packages.push({ id, lowerId, entries, problem });
  });
  return { packages, advisories: await v3.advisoriesOf(source), broken: [] };
}

/** The id and version a .nupkg's own nuspec gives: a flat file name like a.b.1.0.0.nupkg does not tell them apart. */
function identityOf(bytes) {
  const entries = unzipSync(bytes, { filter: (entry) => !entry.name.includes('/') && entry.name.endsWith('.nuspec') });
  const nuspec = new TextDecoder().decode(Object.values(entries)[0] ?? new Uint8Array());
  const [, id] = /<id>\s*([^<\s]+)\s*<\/id>/.exec(nuspec) ?? [];
  const [, version] = /<version>\s*([^<\s]+)\s*<\/version>/.exec(nuspec) ?? [];
  if (!id || !version) throw new Error('no nuspec with an <id> and a <version> at its root');
  return { id, version: v3.normalVersion(version) };
}

function fromFolder(path) {
  const manifest = readManifest(path);
  const files = readdirSync(path, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.nupkg') && !entry.name.endsWith('.symbols.nupkg'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
  const byId = new Map();
  const broken = [];
  for (const file of files) {
    let identity;
    try {
      identity = identityOf(readFileSync(file));
    } catch (error) {
      broken.push({ what: file, reason: `not a readable .nupkg (${error.message})` });
      continue;
    }
    const lowerId = identity.id.toLowerCase();
    const known = manifest?.packages?.[lowerId]?.versions?.[identity.version];
    const entry = byId.get(lowerId) ?? { id: identity.id, lowerId, entries: [] };
    byId.set(lowerId, entry);
    if (entry.entries.some((e) => e.version === identity.version)) continue; // both layouts hold it: one push
    const snupkg = file.replace(/\.nupkg$/, '.snupkg');
    entry.entries.push({
      version: identity.version,
      listed: known?.listed ?? true,
      deprecation: v3.deprecationOf(known?.deprecation),
      nupkg: async () => readFileSync(file),
      snupkg: async () => (statSync(snupkg, { throwIfNoEntry: false }) ? readFileSync(snupkg) : null),
    });
  }
  return { packages: [...byId.values()], advisories: manifest?.advisories ?? [], broken };
}

// One id's versions go one at a time: changes of one id at once contend for its KV pages.
async function importPackage(feed, target, pkg, tally, counts, bar) {
  const { id, lowerId } = pkg;
  let { problem } = pkg;
  let present = new Set();
  let states = new Map();
  try {
    const flat = await v3.getJson(`${target.flat}${lowerId}/index.json`, target, { missing: true });
    present = new Set(flat?.versions ?? []);
    if (present.size > 0) states = await v3.registrationOf(target, lowerId);
  } catch (error) {
    problem ??= `the feed's own versions of it could not be read (${error.message})`;
  }
  for (const entry of pkg.entries) {
    const what = `${id} ${entry.version}`;
    try {
      if (problem) throw new Error(problem);
      let created = false;
      if (!present.has(entry.version)) created = await push(feed, '/api/v2/package', await entry.nupkg());
      const symbols = created ? await entry.snupkg() : null;
      if (symbols) await push(feed, '/api/v2/symbolpackage', symbols);
      (created ? tally.done : tally.skipped).push(what);
      const state = created ? { listed: true, deprecation: null } : (states.get(entry.version) ?? { listed: true });
      if (state.listed !== entry.listed) {
        await setListed(feed, lowerId, entry.version, entry.listed);
        counts[entry.listed ? 'relisted' : 'unlisted']++;
      }
      if (entry.deprecation && JSON.stringify(entry.deprecation) !== JSON.stringify(state.deprecation)) {
        await adminCall(feed, 'POST', '/admin/deprecations', { id, versions: entry.version, ...entry.deprecation });
        counts.deprecated++;
      }
    } catch (error) {
      tally.failed.push({ what, reason: error.message });
    }
    bar.tick();
  }
}

/** The source's advisories that the target lacks or records otherwise; an id the target lacks has none recorded. */
async function importAdvisories(feed, advisories, existing, tally) {
  const key = (a) => JSON.stringify([a.id.toLowerCase(), a.url, a.versions, a.severity]);
  const known = new Set(existing.map(key));
  const counts = { recorded: 0, notOnFeed: 0 };
  for (const { id, url, versions, severity } of advisories.filter((a) => !known.has(key(a)))) {
    try {
      await adminCall(feed, 'PUT', '/admin/advisories', { id, url, versions, severity });
      counts.recorded++;
    } catch (error) {
      if (/answered 404/.test(error.message)) counts.notOnFeed++;
      else tally.failed.push({ what: `advisory ${url} on ${id}`, reason: error.message });
    }
  }
  return counts;
}

async function importFeed(options, command) {
  const feed = feedOf(command.optsWithGlobals());
  const concurrency = concurrencyOf(options.concurrency);
  const from = options.from;
  const isUrl = /^https?:\/\//i.test(from);
  if (!isUrl && !statSync(from, { throwIfNoEntry: false })?.isDirectory()) {
    throw new CliError(`--from ${from} is neither an http(s) URL of a V3 service index nor a folder`);
  }
  // The admin key pushes, unlists and deprecates: checking it first fails fast, before any download.
  const { advisories: existing } = await adminCall(feed, 'GET', '/admin/advisories');
  const target = await v3.openFeed(feed);
  const plan = isUrl ? await fromFeed(from, options) : fromFolder(from);
  for (const pkg of plan.packages) if (options.listedOnly) pkg.entries = pkg.entries.filter((e) => e.listed);
  const total = plan.packages.reduce((sum, pkg) => sum + pkg.entries.length, 0);
  console.log(`Importing ${total} versions of ${plan.packages.length} packages from ${from} into ${feed.origin}.`);
  const tally = newTally();
  tally.failed.push(...plan.broken);
  const counts = { unlisted: 0, relisted: 0, deprecated: 0 };
  const bar = progress('import', total);
  await pool(plan.packages, concurrency, (pkg) => importPackage(feed, target, pkg, tally, counts, bar));
  bar.stop();
  const { recorded, notOnFeed } = await importAdvisories(feed, plan.advisories, existing, tally);
  const { unlisted, relisted, deprecated } = counts;
  const notes = [
    `Then unlisted ${unlisted}, relisted ${relisted}, deprecated ${deprecated}; advisories recorded ${recorded}.`,
  ];
  if (notOnFeed > 0) notes.push(`Left out ${notOnFeed} advisories of packages the feed does not have.`);
  summarize(tally, 'Imported', notes);
}

export function importCommand(program) {
  program
    .command('import')
    .description('copy every package of a NuGet V3 feed, or of a folder of .nupkg files, to the feed (admin key)')
    .requiredOption(
      '--from <url-or-folder>',
      "the source: a feed's V3 service index URL, or a folder (an export, or any .nupkg files)",
    )
    .option('--concurrency <n>', 'packages copied at once, 1-16', '4')
    .option('--listed-only', 'leave out unlisted versions', false)
    .addOption(
      new Option('--source-credentials <user:token>', "the source feed's HTTP Basic credentials").env(
        'EDGEGET_SOURCE_CREDENTIALS',
      ),
    )
    .action(importFeed);
}
