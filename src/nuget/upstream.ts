/**
 * The pull-through upstream (README "Using an upstream feed"): its configuration, which ids may be
 * looked up there, and the upstream's resources read from its service index (protocol §1). Pure.
 *
 * The dependency-confusion rule: an id with any local history (a version pushed here, listed or
 * not, or hard-deleted) is served from local data only, and an id matching RESERVED_PREFIXES is
 * never even named to the upstream. Everything else may be looked up there, and once an id has
 * been cached from the upstream, a local push of it is refused until the admin forgets it.
 */
import type { Env } from '../env';
import type { HiveLevel } from '../links';
import { fail, type Failure } from '../problems';
import { isValidPackageId } from './packageId';

export interface UpstreamConfig {
  /** The upstream's V3 service index: named in every message about the upstream. */
  readonly serviceIndex: string;
  readonly versionsTtlMs: number;
  readonly timeoutMs: number;
  readonly reserved: readonly ReservedPattern[];
  readonly search: boolean;
  /** `Basic …` for UPSTREAM_CREDENTIALS (`user:token`); absent for a public upstream. */
  readonly authorization?: string;
}

/** `Contoso.*`: Contoso and every `Contoso.` id; `Contoso*`: every id starting so; else exactly the id. */
export interface ReservedPattern {
  readonly text: string;
  readonly base: string;
  readonly kind: 'exact' | 'dotted' | 'prefix';
}

/** The Worker's upstream settings (declared with the other bindings in src/env.ts). */
export type UpstreamVars = Pick<
  Env,
  | 'UPSTREAM_URL'
  | 'UPSTREAM_VERSIONS_TTL'
  | 'UPSTREAM_TIMEOUT'
  | 'RESERVED_PREFIXES'
  | 'UPSTREAM_SEARCH'
  | 'UPSTREAM_CREDENTIALS'
>;

export const DEFAULT_VERSIONS_TTL_SECONDS = 600;
export const DEFAULT_TIMEOUT_SECONDS = 10;

function seconds(name: string, text: string | undefined, fallback: number, max: number): number | Failure {
  if (text === undefined || text.trim() === '') return fallback;
  const value = Number(text.trim());
  if (!Number.isInteger(value) || value < 1 || value > max) {
    return fail('misconfigured', `${name} is '${text}': it must be a whole number of seconds from 1 to ${max}.`);
  }
  return value;
}

export function parseReservedPattern(text: string): ReservedPattern | Failure {
  const dotted = text.endsWith('.*');
  const prefix = !dotted && text.endsWith('*');
  const base = text.slice(0, dotted ? -2 : prefix ? -1 : undefined);
  if (base === '' || !isValidPackageId(base)) {
    return fail(
      'misconfigured',
      `RESERVED_PREFIXES has '${text}': each pattern is a package id, optionally ending in '.*' (the id and its sub-ids) or '*'.`,
    );
  }
  return { text, base: base.toLowerCase(), kind: dotted ? 'dotted' : prefix ? 'prefix' : 'exact' };
}

/** Loopback upstreams may be http (tests, a feed on this machine); any other must be https. */
function upstreamUrl(text: string): string | Failure {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return fail('misconfigured', `UPSTREAM_URL is '${text}', which is not a URL: give a V3 service index URL.`);
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    return fail('misconfigured', `UPSTREAM_URL is '${text}': it must be an https URL.`);
  }
  return url.href;
}

/** null: no upstream (UPSTREAM_URL unset, the default). A Failure names the var to fix. */
export function parseUpstreamConfig(vars: UpstreamVars): UpstreamConfig | Failure | null {
  if (vars.UPSTREAM_URL === undefined || vars.UPSTREAM_URL.trim() === '') return null;
  const serviceIndex = upstreamUrl(vars.UPSTREAM_URL);
  if (typeof serviceIndex !== 'string') return serviceIndex;
  const ttl = seconds('UPSTREAM_VERSIONS_TTL', vars.UPSTREAM_VERSIONS_TTL, DEFAULT_VERSIONS_TTL_SECONDS, 86_400);
  if (typeof ttl !== 'number') return ttl;
  const timeout = seconds('UPSTREAM_TIMEOUT', vars.UPSTREAM_TIMEOUT, DEFAULT_TIMEOUT_SECONDS, 60);
  if (typeof timeout !== 'number') return timeout;
  const reserved: ReservedPattern[] = [];
  for (const text of (vars.RESERVED_PREFIXES ?? '').split(',').map((part) => part.trim())) {
    if (text === '') continue;
    const pattern = parseReservedPattern(text);
    if ('failure' in pattern) return pattern;
    reserved.push(pattern);
  }
  const search = (vars.UPSTREAM_SEARCH ?? '').trim().toLowerCase();
  if (search !== '' && search !== 'true' && search !== 'false') {
    return fail('misconfigured', `UPSTREAM_SEARCH is '${vars.UPSTREAM_SEARCH}': it must be true or false.`);
  }
  const credentials = vars.UPSTREAM_CREDENTIALS;
  if (credentials !== undefined && credentials !== '' && !credentials.includes(':')) {
    return fail('misconfigured', 'UPSTREAM_CREDENTIALS must be `user:token`.');
  }
  const authorization = credentials ? `Basic ${btoa(credentials)}` : undefined;
  return {
    serviceIndex,
    versionsTtlMs: ttl * 1000,
    timeoutMs: timeout * 1000,
    reserved,
    search: search === 'true',
    ...(authorization ? { authorization } : {}),
  };
}

export function isReserved(config: Pick<UpstreamConfig, 'reserved'>, lowerId: string): boolean {
  const id = lowerId.toLowerCase();
  return config.reserved.some(({ base, kind }) => {
    if (kind === 'exact') return id === base;
    if (kind === 'prefix') return id.startsWith(base);
    return id === base || id.startsWith(`${base}.`);
  });
}

/** What the feed knows of an id locally, from D1 (src/store/upstreamPackages.ts). */
export interface LocalFacts {
  /** A version row or a registration exists: pushed, listed or not. */
  readonly pushed: boolean;
  /** A hard-deleted version of the id is remembered. */
  readonly deleted: boolean;
}

export type Standing = 'local' | 'reserved' | 'upstream';

/** Local history always wins; a reserved id never goes upstream; anything else may. */
export function standingOf(config: Pick<UpstreamConfig, 'reserved'>, lowerId: string, facts: LocalFacts): Standing {
  if (facts.pushed || facts.deleted) return 'local';
  return isReserved(config, lowerId) ? 'reserved' : 'upstream';
}

/** The upstream's bases, each ending in '/', from its service index. */
export interface UpstreamResources {
  readonly flat: string;
  /** Per level of this feed's hives, the upstream's hive bases of that level: the first is the one read. */
  readonly registration: Readonly<Record<HiveLevel, readonly string[]>>;
  readonly search?: string;
  readonly autocomplete?: string;
}

const withSlash = (url: string) => (url.endsWith('/') ? url : `${url}/`);

/** The resources of these types, in this order of preference, as the client looks them up (§1.2). */
function resources(index: unknown, types: readonly string[]): string[] {
  const listed = (index as { resources?: unknown })?.resources;
  if (!Array.isArray(listed)) return [];
  const found: string[] = [];
  for (const type of types) {
    for (const r of listed) {
      const id = r?.['@id'];
      if (r?.['@type'] === type && typeof id === 'string' && !found.includes(id)) found.push(id);
    }
  }
  return found;
}

const SEMVER2_HIVES = ['RegistrationsBaseUrl/3.6.0', 'RegistrationsBaseUrl/Versioned'];
const SEMVER1_HIVES = [
  'RegistrationsBaseUrl/3.4.0',
  'RegistrationsBaseUrl',
  'RegistrationsBaseUrl/3.0.0-rc',
  'RegistrationsBaseUrl/3.0.0-beta',
];

/** A SemVer 1 upstream hive serves this feed's SemVer 1 hives; an upstream with one hive serves both. */
export function upstreamResources(index: unknown, serviceIndex: string): UpstreamResources | Failure {
  const [flat] = resources(index, ['PackageBaseAddress/3.0.0']);
  const semver2 = resources(index, SEMVER2_HIVES).map(withSlash);
  const semver1 = resources(index, SEMVER1_HIVES).map(withSlash);
  if (!flat || semver1.length + semver2.length === 0) {
    return fail(
      'badGateway',
      `The upstream ${serviceIndex} is not a V3 feed: its service index names no flat container or registration.`,
    );
  }
  const [search] = resources(index, ['SearchQueryService/3.5.0', 'SearchQueryService/3.0.0-rc', 'SearchQueryService']);
  const [autocomplete] = resources(index, ['SearchAutocompleteService/3.5.0', 'SearchAutocompleteService']);
  return {
    flat: withSlash(flat),
    registration: {
      semver1: semver1.length > 0 ? semver1 : semver2,
      semver2: semver2.length > 0 ? semver2 : semver1,
    },
    ...(search ? { search } : {}),
    ...(autocomplete ? { autocomplete } : {}),
  };
}
