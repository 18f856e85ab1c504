/**
 * Registration layouts built by hand, as src/store/registrationPages.ts would read them from D1:
 * versions in NuGet order, each on a page (by default floor(rank / 64)), and every page's
 * generations per hive level (by default the id's generation).
 */
import type { PageContent, RegistrationLayout } from '../../src/nuget/registration';
import { MAX_PAGE_VERSIONS, type PageGenerations } from '../../src/nuget/registrationLayout';
import type { PackageRegistration, PackageVersionRecord } from '../../src/nuget/types';
import { compareVersions, parseVersion } from '../../src/nuget/version';
import { versionRecord } from '../support/records';

function parsed(record: PackageVersionRecord) {
  const version = parseVersion(record.version);
  if (!version) throw new Error(`Test version ${record.version} does not parse.`);
  return version;
}

/** The newest of created, published and last edited, as SQL's MAX over the ISO strings. */
export function touchedOf(record: PackageVersionRecord): string {
  return [record.created, record.published, record.lastEdited].sort().at(-1)!;
}

export interface LayoutOptions {
  /** The page of the version at this rank in NuGet order; floor(rank / 64) by default. */
  pageOf?: (rank: number) => number;
  /** A page's generations; null: the page has no registration_pages row (a bulk load). */
  generations?: Record<number, Partial<Omit<PageGenerations, 'page'>> | null>;
  /** Catalog leaf seqs by lower version. */
  catalogLeaves?: Map<string, number>;
}

/** A layout and the content that holds every one of its versions. */
export function buildLayout(
  registration: PackageRegistration,
  records: readonly PackageVersionRecord[],
  options: LayoutOptions = {},
): { layout: RegistrationLayout; content: PageContent } {
  const pageOf = options.pageOf ?? ((rank: number) => Math.floor(rank / MAX_PAGE_VERSIONS));
  const ordered = [...records].sort((a, b) => compareVersions(parsed(a), parsed(b)));
  const versions = ordered.map((record, rank) => ({
    lowerVersion: record.lowerVersion,
    version: record.version,
    page: pageOf(rank),
    isSemVer2: record.isSemVer2,
    touched: touchedOf(record),
  }));
  const pages: PageGenerations[] = [];
  for (const page of new Set(versions.map((version) => version.page))) {
    const row = options.generations?.[page];
    if (row === null) continue;
    const { generation } = registration;
    pages.push({ page, semver1: row?.semver1 ?? generation, semver2: row?.semver2 ?? generation });
  }
  return {
    layout: { registration, versions, pages },
    content: {
      records: new Map(ordered.map((record) => [record.lowerVersion, record])),
      catalogLeaves: options.catalogLeaves ?? new Map(),
    },
  };
}

/** `count` versions `{major}.0.{i}` (SemVer 1) or `{major}.0.0-rc.{i}` (SemVer 2, a dotted label). */
export function versionRun(
  id: string,
  count: number,
  shape: 'semver1' | 'semver2' = 'semver1',
  major = 1,
): PackageVersionRecord[] {
  return Array.from({ length: count }, (_, i) =>
    versionRecord(id, shape === 'semver1' ? `${major}.0.${i}` : `${major}.0.0-rc.${i}`),
  );
}
