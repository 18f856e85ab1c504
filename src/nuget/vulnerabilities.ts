/**
 * VulnerabilityInfo (protocol §8.1): an index naming 1–16 pages, each page a JSON object from
 * lowercased package id to that id's advisories. Restore's NuGetAudit reads it for every source
 * that advertises it, so even a feed with no advisory data must serve well-formed pages.
 */
import type { FeedLinks } from '../links';
import { parseRange } from './range';
import { compareVersions, type NuGetVersion } from './version';

/** Severity is an integer here (0 Low … 3 Critical), unlike registration's string (§4.6). */
export type Severity = 0 | 1 | 2 | 3;

export interface Advisory {
  /** Package id, any casing; the page keys it lowercased. */
  id: string;
  url: string;
  severity: Severity;
  /** NuGet version range of the affected versions (§9.4), e.g. "[1.0.0, 1.4.1)". */
  versions: string;
}

export interface VulnerabilityEntry {
  url: string;
  severity: Severity;
  versions: string;
}

export interface VulnerabilityPageRef {
  '@name': string;
  '@id': string;
  '@updated': string;
  comment?: string;
}

/**
 * The feed's two pages (§8.1 suggests this split): `base`, rewritten rarely, and `updates`, which
 * takes new advisories, so a client holding `base` refetches only the small page. A change to an
 * advisory rewrites the page that holds it: pages only add up, so another page cannot retract it.
 */
export const VULNERABILITY_PAGES = ['base', 'updates'] as const;
export type VulnerabilityPageName = (typeof VULNERABILITY_PAGES)[number];

export function isVulnerabilityPage(name: string): name is VulnerabilityPageName {
  return (VULNERABILITY_PAGES as readonly string[]).includes(name);
}

/** `updated`: ISO 8601 of the page's last change, which the client compares with its copy's. */
export function vulnerabilityIndex(
  links: FeedLinks,
  pages: readonly { name: VulnerabilityPageName; updated: string }[],
): VulnerabilityPageRef[] {
  return pages.map(({ name, updated }) => ({
    '@name': name,
    '@id': links.vulnerabilityPage(name),
    '@updated': updated,
    comment: name === 'base' ? 'Advisories known to this feed.' : 'Advisories added since the base page was written.',
  }));
}

interface Bounds {
  min: NuGetVersion | null;
  max: NuGetVersion | null;
}

/** An unparseable range sorts as unbounded on both sides. */
function boundsOf(versions: string): Bounds {
  const range = parseRange(versions);
  return { min: range?.minVersion ?? null, max: range?.maxVersion ?? null };
}

/** Descending by version, an unbounded side first (§8.1 page ordering). */
function descending(a: NuGetVersion | null, b: NuGetVersion | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  return compareVersions(b, a);
}

function byRangeThenUrl(a: Advisory & Bounds, b: Advisory & Bounds): number {
  return descending(a.max, b.max) || descending(a.min, b.min) || (a.url < b.url ? -1 : a.url > b.url ? 1 : 0);
}

/**
 * One page: advisories grouped by lowercased id, each id's list sorted by range max descending,
 * then min descending, then url (§8.1). No advisories → `{}`: the client reads a page as a
 * dictionary, so the documented `[]` would fail (§8.1 warning).
 */
export function vulnerabilityPage(advisories: Advisory[]): Record<string, VulnerabilityEntry[]> {
  const byId = new Map<string, (Advisory & Bounds)[]>();
  for (const advisory of advisories) {
    const key = advisory.id.toLowerCase();
    byId.set(key, [...(byId.get(key) ?? []), { ...advisory, ...boundsOf(advisory.versions) }]);
  }
  const page: Record<string, VulnerabilityEntry[]> = {};
  for (const key of [...byId.keys()].sort()) {
    page[key] = (byId.get(key) ?? [])
      .sort(byRangeThenUrl)
      .map(({ url, severity, versions }) => ({ url, severity, versions }));
  }
  return page;
}
