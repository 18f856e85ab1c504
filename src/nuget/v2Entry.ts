/**
 * One package version as a V2 Atom `<entry>` (NuGetGallery's V2FeedPackage), from the same
 * package_versions row V3 serves. What clients read: NuGet.Protocol (V2FeedParser) d:Id,
 * d:Version, content/@src, d:Dependencies, d:Published (a year ≤ 1901 means unlisted: the
 * entity has no Listed property), d:PackageHash; PackageManagement the atom id, d:Tags,
 * d:IsLatestVersion and the hash; PowerShellGet the rest for its output. Dates are UTC with `Z`:
 * NuGet.Protocol parses them with DateTimeOffset.TryParse, which reads a bare time as local.
 */
import type { V2Links } from '../odataLinks';
import { escapeXml, rootNamespaces } from './atomXml';
import { iconUrl, licenseUrl } from './catalogEntry';
import type { DependencyGroup, PackageVersionRecord } from './types';
import { normalizedVersion, parseVersion } from './version';

export interface V2Package {
  record: PackageVersionRecord;
  /** Every version's downloads, listed or not (as search counts them). */
  totalDownloads: number;
  /** The id's latest listed stable version, within the request's SemVer level. */
  isLatestVersion: boolean;
  /** The id's latest listed version, prerelease or not, within the request's SemVer level. */
  isAbsoluteLatestVersion: boolean;
}

/** nuget.org's Published of an unlisted version, verbatim: NuGet.Protocol and PackageManagement test the year. */
export const UNLISTED_PUBLISHED = '1900-01-01T00:00:00';

/**
 * The short folder name of the frameworks `dotnet pack` writes long (.NETFramework4.7.2 → net472,
 * .NETStandard2.0 → netstandard2.0, .NETCoreApp3.1 → netcoreapp3.1, .NETCoreApp8.0 → net8.0), as
 * nuget.org's V2 Dependencies show them; anything else as written (NuGetFramework.Parse reads both).
 */
export function shortFramework(tfm: string): string {
  const framework = /^\.NETFramework,?(?:Version=v)?(\d+)\.(\d+)(?:\.(\d+))?$/i.exec(tfm);
  if (framework) return `net${framework.slice(1).join('')}`;
  const standard = /^\.NETStandard,?(?:Version=v)?(\d+\.\d+)$/i.exec(tfm);
  if (standard) return `netstandard${standard[1]}`;
  const core = /^\.NETCoreApp,?(?:Version=v)?((\d+)\.\d+)$/i.exec(tfm);
  if (core) return Number(core[2]) >= 5 ? `net${core[1]}` : `netcoreapp${core[1]}`;
  return tfm;
}

/**
 * `id:range:tfm` joined by `|`: an empty range is any version, an empty tfm any framework, and a
 * framework group without dependencies is `::tfm` (so a client knows the framework is supported).
 */
export function v2Dependencies(groups: readonly DependencyGroup[]): string {
  const parts: string[] = [];
  for (const group of groups) {
    const tfm = group.targetFramework ? shortFramework(group.targetFramework) : '';
    if (group.dependencies.length === 0 && tfm !== '') parts.push(`::${tfm}`);
    for (const dependency of group.dependencies) parts.push(`${dependency.id}:${dependency.range}:${tfm}`);
  }
  return parts.join('|');
}

type Value = string | number | boolean | null;
type Edm = 'Edm.String' | 'Edm.Boolean' | 'Edm.DateTime' | 'Edm.Int32' | 'Edm.Int64';

/** An absent or empty value is m:null, as nuget.org writes an optional property it has no value for. */
function property(name: string, value: Value, type: Edm = 'Edm.String'): string {
  if (value === null || value === '') return `<d:${name} m:null="true" />`;
  const typed = type === 'Edm.String' ? '' : ` m:type="${type}"`;
  return `<d:${name}${typed}>${escapeXml(String(value))}</d:${name}>`;
}

const newest = (...times: string[]) =>
  times
    .filter((t) => t !== '')
    .sort()
    .at(-1) ?? '';

/** The `<entry>` of one version; `root` makes it a document of its own (Packages(Id=,Version=)). */
export function v2EntryXml(links: V2Links, pkg: V2Package, root = false): string {
  const r = pkg.record;
  const parsed = parseVersion(r.version);
  const normalized = parsed ? normalizedVersion(parsed) : r.version;
  const self = escapeXml(links.entry(r.id, normalized));
  const published = r.listed ? r.published : UNLISTED_PUBLISHED;
  const updated = newest(r.created, r.published, r.lastEdited);
  const properties = [
    property('Id', r.id),
    property('Version', r.version),
    property('NormalizedVersion', normalized),
    property('Title', r.title),
    property('Description', r.description),
    property('Summary', r.summary),
    property('Authors', r.authors),
    property('Copyright', r.copyright),
    // Always text, empty for none (nuget.org's shape; PackageManagement splits it unchecked).
    `<d:Dependencies>${escapeXml(v2Dependencies(r.dependencyGroups))}</d:Dependencies>`,
    property('Tags', r.tags),
    property('IconUrl', iconUrl(links.feed, r)),
    property('LicenseUrl', licenseUrl(r)),
    property('LicenseNames', r.licenseExpression),
    property('ProjectUrl', r.projectUrl),
    property('GalleryDetailsUrl', links.feed.packageDetails(r.id, normalized)),
    property('ReportAbuseUrl', links.feed.reportAbuse(r.id, normalized)),
    property('ReleaseNotes', r.releaseNotes),
    property('Language', r.language),
    property('MinClientVersion', r.minClientVersion),
    property('RequireLicenseAcceptance', r.requireLicenseAcceptance, 'Edm.Boolean'),
    property('IsLatestVersion', pkg.isLatestVersion, 'Edm.Boolean'),
    property('IsAbsoluteLatestVersion', pkg.isAbsoluteLatestVersion, 'Edm.Boolean'),
    property('IsPrerelease', r.isPrerelease, 'Edm.Boolean'),
    property('Created', r.created, 'Edm.DateTime'),
    property('Published', published, 'Edm.DateTime'),
    property('LastUpdated', updated, 'Edm.DateTime'),
    property('LastEdited', r.lastEdited || null, 'Edm.DateTime'),
    property('DownloadCount', pkg.totalDownloads, 'Edm.Int32'),
    property('VersionDownloadCount', r.downloads, 'Edm.Int32'),
    property('PackageHash', r.packageHash),
    property('PackageHashAlgorithm', 'SHA512'),
    property('PackageSize', r.packageSize, 'Edm.Int64'),
  ];
  // content is self-closing: NuGet clients read it with XmlReader and check IsEmptyElement.
  return `<entry${root ? ` ${rootNamespaces(links.base)}` : ''}>
<id>${self}</id>
<category term="NuGetGallery.OData.V2FeedPackage" scheme="http://schemas.microsoft.com/ado/2007/08/dataservices/scheme" />
<link rel="edit" title="V2FeedPackage" href="${self}" />
<title type="text">${escapeXml(r.id)}</title>
<summary type="text">${escapeXml(r.summary)}</summary>
<updated>${escapeXml(updated)}</updated>
<author><name>${escapeXml(r.authors)}</name></author>
<content type="application/zip" src="${escapeXml(links.content(r.id, normalized))}" />
<m:properties>${properties.join('')}</m:properties>
</entry>`;
}
