/**
 * `edgeget vulnerability import`: OSV files (the GitHub Advisory Database's format) into the feed's
 * advisories, through POST /admin/advisories/import. Every file is read, and every batch sent as a
 * dry run, before anything is written: a broken file or a document the feed refuses stops the
 * import with nothing changed.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { adminCall, CliError, feedOf, printWarnings } from './feed.mjs';

/** The feed's limits per import request (src/admin/importAdvisories.ts); the envelope gets some room. */
const BATCH_DOCUMENTS = 50;
const BATCH_BYTES = 4 * 1024 * 1024 - 4096;

const documentCount = (count) => `${count} document${count === 1 ? '' : 's'}`;

/** Every *.json file below `path` (or `path` itself), sorted, as a GitHub Advisory Database checkout nests them. */
function jsonFiles(path) {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    throw new CliError(`${path} does not exist: give an OSV .json file or a folder of them`);
  }
  if (!stat.isDirectory()) return [path];
  const files = readdirSync(path, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.json'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
  if (files.length === 0) throw new CliError(`${path} holds no .json file: give an OSV .json file or a folder of them`);
  return files;
}

/** Sending only documents about NuGet packages keeps a whole advisory database to a few requests. */
const namesNuGet = (osv) =>
  !Array.isArray(osv?.affected) || osv.affected.some((entry) => entry?.package?.ecosystem === 'NuGet');

/** Every document is read and parsed before the first request, so a broken file stops the import unsent. */
function readDocuments(path) {
  const files = jsonFiles(path);
  const documents = [];
  for (const file of files) {
    let osv;
    try {
      osv = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new CliError(`${file} is not JSON (${error.message}): fix or remove it; nothing was sent`);
    }
    if (namesNuGet(osv)) documents.push({ name: file, osv });
  }
  return { documents, ignored: files.length - documents.length };
}

function batchesOf(documents) {
  const batches = [];
  let batch = [];
  let bytes = 0;
  for (const document of documents) {
    const size = Buffer.byteLength(JSON.stringify(document));
    if (size > BATCH_BYTES) throw new CliError(`${document.name} is over 4 MiB, more than the feed takes in a request`);
    if (batch.length === BATCH_DOCUMENTS || bytes + size > BATCH_BYTES) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(document);
    bytes += size + 1;
  }
  return batch.length > 0 ? [...batches, batch] : batches;
}

const OUTCOMES = ['added', 'changed', 'removed', 'unchanged', 'skipped'];

async function send(feed, batches, dryRun) {
  const merged = { dryRun, added: [], changed: [], removed: [], unchanged: [], skipped: [], warnings: [] };
  for (const batch of batches) {
    const report = await adminCall(feed, 'POST', `/admin/advisories/import${dryRun ? '?dryRun=true' : ''}`, {
      documents: batch,
    });
    for (const field of [...OUTCOMES, 'warnings']) merged[field].push(...(report[field] ?? []));
  }
  merged.warnings = [...new Set(merged.warnings)];
  return merged;
}

function summarize(report, count) {
  const counts = OUTCOMES.map((outcome) => `${report[outcome].length} ${outcome}`).join(', ');
  console.log(`${report.dryRun ? 'Dry run, nothing changed: ' : ''}${documentCount(count)}: ${counts}.`);
  for (const outcome of ['added', 'changed', 'removed']) {
    for (const entry of report[outcome]) {
      const versions = entry.versions.length > 0 ? ` ${entry.versions.join(' ')}` : '';
      console.log(`  ${outcome.padEnd(8)} ${entry.id}${versions} ${entry.url}`);
    }
  }
  for (const entry of report.skipped) {
    console.log(`  skipped  ${entry.advisory}${entry.id ? ` ${entry.id}` : ''}: ${entry.reason}`);
  }
}

export async function importDocuments(path, options, command) {
  const feed = feedOf(command.optsWithGlobals());
  const { documents, ignored } = readDocuments(path);
  if (ignored > 0) console.warn(`Not sent: ${documentCount(ignored)} naming no NuGet package.`);
  const batches = batchesOf(documents);
  // The dry run checks every batch first: a document the feed refuses then stops the import before any write.
  let report;
  try {
    report = await send(feed, batches, true);
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    throw new CliError(`the feed refused the import, nothing was changed: ${error.message}`);
  }
  if (!options.dryRun) report = await send(feed, batches, false);
  if (options.json) console.log(JSON.stringify(report, null, 2));
  else summarize(report, documents.length);
  printWarnings(report.warnings);
}
