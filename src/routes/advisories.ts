/**
 * The advisories admin API behind `npx edgeget vulnerability …` (admin key only):
 * GET /admin/advisories[?id=X] lists; PUT /admin/advisories `{ id, versions, severity, url }`
 * records one advisory or changes its range and severity; DELETE /admin/advisories?id=X&url=U
 * removes it; POST /admin/advisories/import takes OSV documents (src/admin/importAdvisories.ts).
 */
import { applyAdvisories } from '../admin/advisories';
import { importAdvisories, parseImportRequest } from '../admin/importAdvisories';
import { isAdvisoryUrl, parseAdvisoryRequest, SEVERITY_NAMES } from '../nuget/advisory';
import { isValidPackageId, lowerId } from '../nuget/packageId';
import { fail, failureResponse, isFailure } from '../problems';
import { jsonResponse } from '../respond';
import { advisoriesOf, type StoredAdvisory } from '../store/advisories';
import { findRegistration } from '../store/packages';
import { adminRoute, queryValue } from './adminRequest';

const BAD_ID = fail('badRequest', 'id must be a valid package id.');

function advisoryView(advisory: StoredAdvisory) {
  const { id, url, versions, severity, page, source, changedAt, changedBy } = advisory;
  return { id, url, versions, severity: SEVERITY_NAMES[severity], page, source, changed: changedAt, changedBy };
}

export const listAdvisories = adminRoute(async (request, env) => {
  const id = queryValue(request, 'id');
  if (id !== undefined && !isValidPackageId(id)) return failureResponse(BAD_ID);
  const advisories = await advisoriesOf(env.DB, id === undefined ? null : [lowerId(id)]);
  return jsonResponse({ advisories: advisories.map(advisoryView) });
});

export const putAdvisory = adminRoute(async (request, env, cache, by) => {
  const change = parseAdvisoryRequest(await request.json().catch(() => null));
  if (isFailure(change)) return failureResponse(change);
  const registration = await findRegistration(env.DB, lowerId(change.id));
  if (!registration) return failureResponse(fail('notFound', `Package ${change.id} is not on this feed.`));
  const { url, severity } = change;
  const set = { lowerId: registration.lowerId, url, severity, versions: [change.versions.text], source: '' };
  const { results, warnings } = await applyAdvisories(env, cache, { wanted: [set], ...by });
  const outcome = results[0]?.outcome;
  return jsonResponse({ id: registration.id, url, versions: change.versions.text, outcome, warnings });
});

export const deleteAdvisory = adminRoute(async (request, env, cache, by) => {
  const id = queryValue(request, 'id');
  const url = queryValue(request, 'url');
  if (id === undefined || !isValidPackageId(id)) return failureResponse(BAD_ID);
  if (!isAdvisoryUrl(url)) return failureResponse(fail('badRequest', 'url must be the advisory URL to remove.'));
  const set = { lowerId: lowerId(id), url, severity: 0 as const, versions: [], source: '' };
  const { results, warnings } = await applyAdvisories(env, cache, { wanted: [set], ...by });
  if (results[0]?.outcome !== 'removed') return failureResponse(fail('notFound', `${id} has no advisory ${url}.`));
  return jsonResponse({ id, url, outcome: 'removed', warnings });
});

export const importAdvisoryDocuments = adminRoute(async (request, env, cache, by) => {
  const parsed = await parseImportRequest(request);
  if (isFailure(parsed)) return failureResponse(parsed);
  const report = await importAdvisories(env, cache, { ...parsed, ...by });
  return isFailure(report) ? failureResponse(report) : jsonResponse(report);
});
