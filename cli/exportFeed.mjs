/**
 * `edgeget export --to <folder>`: every version of the feed at --url, unlisted ones too, in the
 * hierarchical local-feed layout that `dotnet nuget push -s <folder>` writes into such a folder and
 * `dotnet restore --source <folder>` reads, plus a manifest of what the files cannot say (listed
 * state, deprecations, advisories) that `edgeget import --from <folder>` applies back.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { CliError, feedOf } from './feed.mjs';
import * as v3 from './feedSource.mjs';
import { concurrencyOf, newTally, pool, progress, summarize } from './transfer.mjs';

/** At the folder's root, where restore, which reads only {id}/{version}/ folders, passes it by. */
export const MANIFEST = 'edgeget-export.json';
const FORMAT = 'edgeget-export/1';

/** The manifest of a folder, or null when it has none; a manifest that cannot be read stops the import. */
export function readManifest(folder) {
  const file = join(folder, MANIFEST);
  if (!existsSync(file)) return null;
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CliError(`${file} is not JSON (${error.message}): restore it from the export, or remove it`);
  }
  if (manifest?.format !== FORMAT)
    throw new CliError(`${file} is not an ${FORMAT} manifest (format ${manifest?.format})`);
  return manifest;
}

/** What dotnet writes beside a package: the base64 SHA-512 of its bytes, no newline. */
const sha512 = (bytes) => createHash('sha512').update(bytes).digest('base64');

/** Written beside and renamed into place, so that a file under its final name is always whole. */
function writeWhole(file, bytes) {
  writeFileSync(`${file}.partial`, bytes);
  renameSync(`${file}.partial`, file);
}

/** The nuspec at the package's root, as dotnet extracts it. */
function nuspecOf(bytes) {
  const entries = unzipSync(bytes, { filter: (entry) => !entry.name.includes('/') && entry.name.endsWith('.nuspec') });
  const nuspec = Object.values(entries)[0];
  if (!nuspec) throw new Error('the package has no nuspec at its root');
  return nuspec;
}

/**
 * One version's files; the .sha512 goes last, so a version whose .sha512 matches its .nupkg is
 * complete (dotnet's own folder feeds use the hash file the same way) and a rerun skips it.
 */
async function exportVersion(source, to, lowerId, version) {
  const dir = join(to, lowerId, version);
  const name = `${lowerId}.${version}`;
  const nupkgFile = join(dir, `${name}.nupkg`);
  const hashFile = `${nupkgFile}.sha512`;
  if (existsSync(hashFile) && existsSync(nupkgFile)) {
    if (readFileSync(hashFile, 'utf8') === sha512(readFileSync(nupkgFile))) return false;
  }
  const download = async (kind) => {
    const url = `${source.flat}${lowerId}/${version}/${name}.${kind}`;
    const response = await v3.request(url, { headers: source.headers });
    if (kind === 'snupkg' && response.status === 404) return null;
    if (!response.ok) throw new Error(`${url} answered ${v3.failureOf(response)}`);
    return new Uint8Array(await response.arrayBuffer());
  };
  const nupkg = await download('nupkg');
  const snupkg = await download('snupkg');
  mkdirSync(dir, { recursive: true });
  writeWhole(nupkgFile, nupkg);
  writeWhole(join(dir, `${lowerId}.nuspec`), nuspecOf(nupkg));
  if (snupkg) writeWhole(join(dir, `${name}.snupkg`), snupkg);
  writeWhole(hashFile, sha512(nupkg));
  return true;
}

async function exportFeed(options, command) {
  const feed = feedOf(command.optsWithGlobals());
  const concurrency = concurrencyOf(options.concurrency);
  const source = await v3.openFeed(feed);
  if (!source.catalog) throw new CliError(`${feed.origin} lists no catalog: is it an EdgeGet feed?`);
  const ids = await v3.versionsOf(source);
  const total = [...ids.values()].reduce((sum, { versions }) => sum + versions.size, 0);
  console.log(`Exporting ${total} versions of ${ids.size} packages from ${feed.origin} to ${options.to}.`);
  mkdirSync(options.to, { recursive: true });
  const tally = newTally();
  const packages = {};
  const bar = progress('export', total);
  await pool([...ids], concurrency, async ([lowerId, { id, versions }]) => {
    const states = await v3.registrationOf(source, lowerId).catch((error) => {
      tally.failed.push({ what: `${id} (registration)`, reason: error.message });
      return new Map();
    });
    const entry = { id, versions: {} };
    packages[lowerId] = entry;
    for (const version of [...versions].sort()) {
      const state = states.get(version) ?? { listed: true, deprecation: null };
      entry.versions[version] = state.deprecation ? state : { listed: state.listed };
      try {
        ((await exportVersion(source, options.to, lowerId, version)) ? tally.done : tally.skipped).push(version);
      } catch (error) {
        tally.failed.push({ what: `${id} ${version}`, reason: error.message });
      }
      bar.tick();
    }
  });
  bar.stop();
  const advisories = await v3.advisoriesOf(source);
  const manifest = { format: FORMAT, feed: feed.origin, exported: new Date().toISOString(), packages, advisories };
  writeWhole(join(options.to, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  const note = `Wrote ${MANIFEST}: listed state and deprecations of ${total} versions, ${advisories.length} advisories.`;
  summarize(tally, 'Exported', [note]);
}

export function exportCommand(program) {
  program
    .command('export')
    .description(
      'copy every package of the feed, unlisted too, to a local folder feed that `edgeget import` reads back',
    )
    .requiredOption(
      '--to <folder>',
      'where to write (created if need be; files already there with the right hash are kept)',
    )
    .option('--concurrency <n>', 'packages copied at once, 1-16', '4')
    .action(exportFeed);
}
