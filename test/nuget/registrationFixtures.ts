/**
 * Registration layouts built by hand, as src/store/registrationPages.ts would read them from D1:
 * versions in NuGet order, each on a page (by default floor(rank / 64)), and every page's
 * summary per hive level, its generations by default the id's.
 */
import type { Advisory } from '../../src/nuget/vulnerabilities';
import type { PageContent, RegistrationLayout } from '../../src/nuget/registration';
import { MAX_PAGE_VERSIONS, type PageRow, type PageSummary } from '../../src/nuget/registrationLayout';
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
  /** A page's generations per level, where they are not the id's. */
  generations?: Record<number, Partial<{ semver1: number; semver2: number }>>;
  /** Catalog leaf seqs by lower version. */
  catalogLeaves?: Map<string, number>;
  /** The id's vulnerability advisories. */
  advisories?: Advisory[];
}

/** What registration_pages sums up of one level of a page: its versions there, in NuGet order. */
function summaryOf(records: readonly PackageVersionRecord[], generation: number): PageSummary | null {
  if (records.length === 0) return null;
  const touched = records.map(touchedOf).sort().at(-1)!;
  return { count: records.length, lower: records[0]!.version, upper: records.at(-1)!.version, touched, generation };
}

/** A layout and the content that holds every one of its versions. */
export function buildLayout(
  registration: PackageRegistration,
  records: readonly PackageVersionRecord[],
  options: LayoutOptions = {},
): { layout: RegistrationLayout; content: PageContent } {
  const pageOf = options.pageOf ?? ((rank: number) => Math.floor(rank / MAX_PAGE_VERSIONS));
  const ordered = [...records].sort((a, b) => compareVersions(parsed(a), parsed(b)));
  const byPage = new Map<number, PackageVersionRecord[]>();
  ordered.forEach((record, rank) => {
    byPage.set(pageOf(rank), [...(byPage.get(pageOf(rank)) ?? []), record]);
  });
  const { generation } = registration;
  const pages: PageRow[] = [...byPage].map(([page, onPage]) => {
    const row = options.generations?.[page];
    return {
      page,
      semver1: summaryOf(
        onPage.filter((record) => !record.isSemVer2),
        row?.semver1 ?? generation,
      ),
      semver2: summaryOf(onPage, row?.semver2 ?? generation),
    };
  });
  return {
    layout: { registration, versions: ordered.map((record) => record.lowerVersion), pages },
    content: {
      records: new Map(ordered.map((record) => [record.lowerVersion, record])),
      catalogLeaves: options.catalogLeaves ?? new Map(),
      pageVersions: new Map([...byPage].map(([page, onPage]) => [page, onPage.map((record) => record.lowerVersion)])),
      advisories: options.advisories ?? [],
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
