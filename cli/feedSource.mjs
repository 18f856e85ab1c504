/**
 * NuGet V3 feeds read over HTTP, for `edgeget import` and `edgeget export`: requests that retry what
 * a second try may fix, and the walks that list a feed's versions (catalog, or search plus flat
 * container), their listed state and deprecation (registration) and its advisories (VulnerabilityInfo).
 */
import { CliError } from './feed.mjs';

const ATTEMPTS = 4;
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));
const reasonOf = (error) => error?.cause?.code ?? error?.cause?.message ?? error?.message ?? String(error);

/** `Authorization` for `user:token` (or a bare secret, which EdgeGet takes with any user name). */
export function basicAuth(credentials) {
  if (!credentials) return {};
  const pair = credentials.includes(':') ? credentials : `edgeget:${credentials}`;
  return { Authorization: `Basic ${Buffer.from(pair).toString('base64')}` };
}

/**
 * fetch, retrying network errors and 5xx with exponential backoff (0.5, 1, 2 s): a 4xx is the feed's
 * final word and another try would only repeat it. Resolves with the last answer, whatever its status.
 */
export async function request(url, init = {}, timeoutMs = 600_000) {
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
      if (response.status < 500 || attempt === ATTEMPTS) return response;
      await response.arrayBuffer().catch(() => {});
    } catch (error) {
      if (attempt === ATTEMPTS) throw new CliError(`could not reach ${url} (${reasonOf(error)}), ${ATTEMPTS} tries`);
    }
    await sleep(500 * 2 ** (attempt - 1));
  }
}

/** The feed's reason for a failed answer: EdgeGet and nuget.org put it in the reason phrase and X-NuGet-Warning. */
export const failureOf = (response) =>
  `${response.status} ${response.headers.get('X-NuGet-Warning') ?? response.statusText}`.trim();

/** GET a document of `feed` as JSON; null for a 404 when `missing` allows it; a CliError saying what to do otherwise. */
export async function getJson(url, feed, { missing = false } = {}) {
  const response = await request(url, { headers: feed.headers });
  if (response.status === 404 && missing) return null;
  if (response.status === 401 || response.status === 403) {
    throw new CliError(`${url} answered ${failureOf(response)}: ${feed.credentialsHint}`);
  }
  if (!response.ok) throw new CliError(`${url} answered ${failureOf(response)}`);
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new CliError(`${url} did not answer JSON (it starts "${text.slice(0, 40)}")`);
  }
}

/** Lowercased, normalized as NuGet does (§3.1): no build metadata, at least three parts, a zero fourth dropped. */
export function normalVersion(version) {
  const [release, ...prerelease] = version.split('+')[0].split('-');
  const parts = release.split('.').map((part) => String(Number.parseInt(part, 10)));
  while (parts.length < 3) parts.push('0');
  if (parts.length === 4 && parts[3] === '0') parts.pop();
  return [parts.join('.'), ...prerelease].join('-').toLowerCase();
}

/**
 * A V3 feed: its service index's resources by type, the headers every read sends, and what to
 * tell the operator when the feed refuses them.
 */
export async function openSource(indexUrl, headers, credentialsHint) {
  let index;
  try {
    index = await getJson(indexUrl, { headers, credentialsHint });
  } catch (error) {
    if (/did not answer JSON/.test(error.message) || /answered 404/.test(error.message)) {
      throw new CliError(`${indexUrl} is not a NuGet V3 service index (${error.message}): give its /v3/index.json`);
    }
    throw error;
  }
  if (!Array.isArray(index?.resources)) {
    throw new CliError(`${indexUrl} is not a NuGet V3 service index (no "resources"): give its /v3/index.json`);
  }
  const resource = (...types) =>
    types.map((type) => index.resources.find((r) => r['@type'] === type)?.['@id']).find(Boolean);
  const flat = resource('PackageBaseAddress/3.0.0');
  if (!flat) throw new CliError(`${indexUrl} lists no PackageBaseAddress/3.0.0 resource, so no package can be read`);
  const slash = (url) => (url && !url.endsWith('/') ? `${url}/` : url);
  return {
    headers,
    credentialsHint,
    flat: slash(flat),
    catalog: resource('Catalog/3.0.0'),
    search: resource('SearchQueryService/3.5.0', 'SearchQueryService/3.0.0-beta', 'SearchQueryService'),
    registration: slash(resource('RegistrationsBaseUrl/3.6.0', 'RegistrationsBaseUrl/3.4.0', 'RegistrationsBaseUrl')),
    vulnerabilities: resource('VulnerabilityInfo/6.7.0'),
  };
}

/** The feed at --url, read with the admin key, which a private EdgeGet feed takes as the Basic password. */
export const openFeed = (feed) =>
  openSource(`${feed.origin}/v3/index.json`, basicAuth(feed.adminKey), 'check --admin-key / NUGET_API_KEY');

/** Every id and version: lowerId → { id, versions: Set of normalized lower versions }. */
export async function versionsOf(source) {
  const ids = new Map();
  const add = (id, version) => {
    const entry = ids.get(id.toLowerCase()) ?? { id, versions: new Set() };
    ids.set(id.toLowerCase(), entry);
    if (version) entry.versions.add(normalVersion(version));
  };
  if (source.catalog) {
    // The catalog may hold several items per version; the newest decides whether it still exists.
    const newest = new Map();
    const index = await getJson(source.catalog, source);
    for (const page of index.items ?? []) {
      for (const item of (await getJson(page['@id'], source)).items ?? []) {
        const key = `${item['nuget:id'].toLowerCase()}/${normalVersion(item['nuget:version'])}`;
        if (!(newest.get(key)?.commitTimeStamp > item.commitTimeStamp)) newest.set(key, item);
      }
    }
    for (const item of newest.values())
      if (item['@type'] !== 'nuget:PackageDelete') add(item['nuget:id'], item['nuget:version']);
    return ids;
  }
  if (!source.search)
    throw new CliError('the source lists neither a catalog nor a search service: its ids cannot be listed');
  // Search shows ids with a listed version; the flat container then gives every version, unlisted too.
  for (let skip = 0; ; skip += 100) {
    const query = `?q=&prerelease=true&semVerLevel=2.0.0&skip=${skip}&take=100`;
    const { data = [] } = await getJson(`${source.search}${query}`, source);
    for (const hit of data) add(hit.id);
    if (data.length < 100) break;
  }
  for (const [lowerId, entry] of ids) {
    const flat = await getJson(`${source.flat}${lowerId}/index.json`, source, { missing: true });
    for (const version of flat?.versions ?? []) entry.versions.add(normalVersion(version));
  }
  return ids;
}

/** lowerVersion → { listed, deprecation } from an id's registration, following the pages an index only links. */
export async function registrationOf(source, lowerId) {
  const states = new Map();
  if (!source.registration) return states;
  const index = await getJson(`${source.registration}${lowerId}/index.json`, source, { missing: true });
  for (const page of index?.items ?? []) {
    const leaves = page.items ?? (await getJson(page['@id'], source)).items ?? [];
    for (const { catalogEntry: entry } of leaves) {
      const listed = entry.listed ?? !String(entry.published).startsWith('1900');
      states.set(normalVersion(entry.version), { listed, deprecation: deprecationOf(entry.deprecation) });
    }
  }
  return states;
}

/** The fields POST /admin/deprecations takes, in one order, so that two deprecations compare as text. */
export function deprecationOf(given) {
  if (!given?.reasons?.length) return null;
  const deprecation = { reasons: [...given.reasons].sort() };
  if (given.message) deprecation.message = given.message;
  const alternate = given.alternatePackage;
  if (alternate?.id) deprecation.alternatePackage = { id: alternate.id, range: alternate.range ?? '*' };
  return deprecation;
}

const SEVERITIES = ['low', 'moderate', 'high', 'critical'];

/** The source's advisories as PUT /admin/advisories takes them, from every VulnerabilityInfo page. */
export async function advisoriesOf(source) {
  if (!source.vulnerabilities) return [];
  // The index lists base before updates, and an entry in a later page supersedes the same advisory's earlier one.
  const advisories = new Map();
  for (const page of await getJson(source.vulnerabilities, source)) {
    for (const [id, entries] of Object.entries(await getJson(page['@id'], source))) {
      for (const { url, severity, versions } of entries) {
        advisories.set(`${id}\n${url}`, { id, url, versions, severity: SEVERITIES[severity] ?? 'moderate' });
      }
    }
  }
  return [...advisories.values()];
}
