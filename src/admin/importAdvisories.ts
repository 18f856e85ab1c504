/**
 * `npx edgeget vulnerability import`: OSV documents (the GitHub Advisory Database's format) in,
 * advisories of the feed's ids out. The whole request is checked before anything is written, so
 * a malformed document changes nothing; an advisory for an id the feed does not have is skipped,
 * a withdrawn one is removed, and one already as the document says is left alone, so running an
 * import twice changes nothing the second time.
 */
import type { Env } from '../env';
import { parseOsv, type OsvRecord } from '../nuget/osv';
import { lowerId } from '../nuget/packageId';
import type { Severity } from '../nuget/vulnerabilities';
import { fail, type Failure, isFailure } from '../problems';
import { boundedJson } from '../requestBody';
import type { AdvisorySet } from '../store/advisories';
import { registrationsOf } from '../store/packages';
import { applyAdvisories } from './advisories';

/** Per request: the CLI sends a folder in parts of this many, within a Worker's subrequest budget. */
export const MAX_IMPORT_DOCUMENTS = 50;
const MAX_IMPORT_BYTES = 4 * 1024 * 1024;
/** Ranges for ids on the feed per request: each is a row and a page stamp in one D1 batch. */
export const MAX_IMPORT_RANGES = 500;

export interface ImportRequest {
  documents: { name: string; record: OsvRecord }[];
  dryRun: boolean;
}

/** `{ documents: [{ name, osv }] }`, `?dryRun=true` to report without writing. */
export async function parseImportRequest(request: Request): Promise<ImportRequest | Failure> {
  const read = await boundedJson(
    request,
    MAX_IMPORT_BYTES,
    `An import request holds at most ${MAX_IMPORT_BYTES} bytes: send fewer documents at a time.`,
  );
  if (isFailure(read)) return read;
  if (!read.parsed) {
    return fail('badRequest', 'The import body is not JSON: expected { "documents": [{ "name", "osv" }] }.');
  }
  const body = read.json;
  const documents = (body as { documents?: unknown } | null)?.documents;
  if (!Array.isArray(documents) || documents.length === 0 || documents.length > MAX_IMPORT_DOCUMENTS) {
    return fail('badRequest', `documents must list 1 to ${MAX_IMPORT_DOCUMENTS} OSV documents as { name, osv }.`);
  }
  const parsed: ImportRequest['documents'] = [];
  for (const [index, document] of documents.entries()) {
    const { name = `document ${index + 1}`, osv } = (document ?? {}) as { name?: unknown; osv?: unknown };
    const label = typeof name === 'string' ? name.slice(0, 300) : `document ${index + 1}`;
    const record = parseOsv(osv);
    if ('problem' in record) return fail('badRequest', `${label} is not a usable OSV advisory: ${record.problem}`);
    parsed.push({ name: label, record });
  }
  return { documents: parsed, dryRun: new URL(request.url).searchParams.get('dryRun') === 'true' };
}

export interface ImportedAdvisory {
  advisory: string;
  id: string;
  url: string;
  versions: string[];
}

export interface ImportReport {
  dryRun: boolean;
  added: ImportedAdvisory[];
  changed: ImportedAdvisory[];
  removed: ImportedAdvisory[];
  unchanged: ImportedAdvisory[];
  skipped: { advisory: string; id: string | null; reason: string }[];
  warnings: string[];
}

export async function importAdvisories(
  env: Pick<Env, 'DB' | 'PAGES'>,
  cache: Cache,
  request: ImportRequest & { actor: string; now: Date; origin: string },
): Promise<ImportReport | Failure> {
  const report: ImportReport = {
    dryRun: request.dryRun,
    added: [],
    changed: [],
    removed: [],
    unchanged: [],
    skipped: [],
    warnings: [],
  };
  const records = request.documents.map((document) => document.record);
  const ids = [...new Set(records.flatMap((record) => record.advisories.map((a) => lowerId(a.packageId))))];
  const onFeed = new Map(
    (await registrationsOf(env.DB, ids)).map((registration) => [registration.lowerId, registration.id]),
  );
  // One set per advisory and id: its ranges together, at the most severe of their severities.
  const sets = new Map<string, AdvisorySet & { advisory: string; withdrawn: boolean }>();
  for (const record of records) {
    for (const skip of record.skipped)
      report.skipped.push({ advisory: record.osvId, id: skip.packageId, reason: skip.reason });
    for (const advisory of record.advisories) {
      const id = lowerId(advisory.packageId);
      if (!onFeed.has(id)) {
        report.skipped.push({ advisory: record.osvId, id: advisory.packageId, reason: 'not on this feed' });
        continue;
      }
      const key = `${id} ${advisory.url}`;
      const known = sets.get(key);
      const severity = Math.max(known?.severity ?? 0, advisory.severity) as Severity;
      const versions = [...new Set([...(known?.versions ?? []), advisory.versions])];
      sets.set(key, {
        lowerId: id,
        url: advisory.url,
        severity,
        versions,
        source: record.osvId,
        advisory: record.osvId,
        withdrawn: record.withdrawn,
      });
    }
  }
  const wanted = [...sets.values()].map((set) => (set.withdrawn ? { ...set, versions: [] } : set));
  const ranges = wanted.reduce((sum, set) => sum + set.versions.length, 0);
  if (ranges > MAX_IMPORT_RANGES) {
    return fail(
      'badRequest',
      `These documents hold ${ranges} version ranges for ids on this feed, more than ${MAX_IMPORT_RANGES} per request: send fewer documents at a time.`,
    );
  }
  const { results, warnings } = await applyAdvisories(env, cache, {
    wanted,
    actor: request.actor,
    now: request.now,
    origin: request.origin,
    dryRun: request.dryRun,
  });
  for (const [index, { outcome, set }] of results.entries()) {
    const source = wanted[index]!;
    const entry = {
      advisory: source.advisory,
      id: onFeed.get(set.lowerId) ?? set.lowerId,
      url: set.url,
      versions: [...set.versions],
    };
    if (source.withdrawn && outcome === 'unchanged')
      report.skipped.push({ advisory: entry.advisory, id: entry.id, reason: 'withdrawn' });
    else report[outcome].push(entry);
  }
  report.warnings = warnings;
  return report;
}
