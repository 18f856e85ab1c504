/** The parts of a package page: versions table, dependencies, license and the facts sidebar. */
import type { FeedLinks } from '../links';
import { advisoriesAffecting } from '../nuget/advisory';
import { lowerId } from '../nuget/packageId';
import { parseRange, prettyPrintRange } from '../nuget/range';
import type { DependencyGroup, PackageVersionRecord } from '../nuget/types';
import type { Advisory } from '../nuget/vulnerabilities';
import { dateElement, escapeHtml, formatBytes, formatCount, link, urlOrText } from './html';

/** One row of the versions table. */
export interface VersionSummary {
  version: string;
  lowerVersion: string;
  published: string;
  downloads: number;
  listed: boolean;
  isPrerelease: boolean;
}

/** What marks a row of the versions table beyond its own columns. */
export interface VersionMarks {
  /** Lower versions that are deprecated. */
  deprecated: ReadonlySet<string>;
  /** The id's advisories; a row is marked when one affects its version. */
  advisories: readonly Advisory[];
}

export const NO_MARKS: VersionMarks = { deprecated: new Set(), advisories: [] };

type BadgeKind = 'prerelease' | 'unlisted' | 'current' | 'deprecated' | 'vulnerable';

export function badge(kind: BadgeKind, text: string): string {
  return `<span class="badge badge-${kind}">${escapeHtml(text)}</span>`;
}

export function versionsTable(
  links: FeedLinks,
  r: PackageVersionRecord,
  versions: readonly VersionSummary[],
  total: number,
  marks: VersionMarks = NO_MARKS,
): string {
  const rows = versions.map((v) => {
    const current = v.lowerVersion === r.lowerVersion;
    const badges = [
      current ? badge('current', 'This version') : '',
      v.isPrerelease ? badge('prerelease', 'Prerelease') : '',
      v.listed ? '' : badge('unlisted', 'Unlisted'),
      marks.deprecated.has(v.lowerVersion) ? badge('deprecated', 'Deprecated') : '',
      advisoriesAffecting(v.version, marks.advisories).length > 0 ? badge('vulnerable', 'Vulnerable') : '',
    ]
      .filter((b) => b !== '')
      .join(' ');
    // An unlisted version was last published before it was hidden: its date says nothing current.
    return `<tr${current ? ' aria-current="page"' : ''}${v.listed ? '' : ' class="unlisted"'}>
<th scope="row">${link(links.packageDetails(r.id, v.version), v.version)}</th>
<td>${v.listed ? dateElement(v.published) : '—'}</td><td class="number">${formatCount(v.downloads)}</td><td>${badges}</td>
</tr>`;
  });
  const more =
    total > versions.length
      ? `<p class="note">The ${versions.length} newest of ${formatCount(total)} versions.</p>`
      : '';
  return `<div class="table-wrap"><table class="versions">
<caption class="visually-hidden">Versions of ${escapeHtml(r.id)}</caption>
<thead><tr><th scope="col">Version</th><th scope="col">Published</th><th scope="col" class="number">Downloads</th><th scope="col">Status</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table></div>${more}`;
}

/** A NuGet range as a reader reads it: "(>= 1.0.0 && < 2.0.0)". */
export function rangeText(range: string): string {
  const parsed = range ? parseRange(range) : null;
  const pretty = parsed ? prettyPrintRange(parsed) : '';
  return pretty || range || 'any version';
}

/** Each target framework's dependencies; a dependency the feed has links to its page here. */
export function dependencyList(
  links: FeedLinks,
  groups: readonly DependencyGroup[],
  onFeed: ReadonlySet<string>,
): string {
  const shown = groups.filter((g) => g.dependencies.length > 0 || g.targetFramework);
  if (shown.length === 0) return '<p>This package has no dependencies.</p>';
  return shown
    .map((g) => {
      const items = g.dependencies.map((d) => {
        const name = onFeed.has(lowerId(d.id)) ? link(links.packagePage(d.id), d.id) : escapeHtml(d.id);
        return `<li>${name} <span class="range">${escapeHtml(rangeText(d.range))}</span></li>`;
      });
      const list = items.length > 0 ? `<ul class="dependencies">${items.join('')}</ul>` : '<p>No dependencies.</p>';
      return `<h3>${escapeHtml(g.targetFramework ?? 'Any target framework')}</h3>\n${list}`;
    })
    .join('\n');
}

/** nuget.org writes this licenseUrl for packages that carry a license file or expression instead. */
const DEPRECATED_LICENSE_URL = 'https://aka.ms/deprecateLicenseUrl';

/** An SPDX expression with each license and exception id linked to its SPDX page. */
function licenseExpression(expression: string): string {
  return expression
    .split(/(\s+|[()])/)
    .map((token) => {
      if (/^(AND|OR|WITH)$/.test(token) || !/^[A-Za-z0-9.+-]+$/.test(token)) return escapeHtml(token);
      const id = token.replace(/\+$/, '');
      return `<a href="https://spdx.org/licenses/${encodeURIComponent(id)}.html" rel="nofollow noopener">${escapeHtml(token)}</a>`;
    })
    .join('');
}

/** What the nuspec says beyond the version row (src/gallery/nuspecExtras.ts), and the license file's text if it was read. */
export interface PackageExtras {
  repository: { url: string; type: string } | null;
  licenseFile: string | null;
  licenseText: string | null;
}

function license(r: PackageVersionRecord, extras: PackageExtras): string | null {
  if (r.licenseExpression) return licenseExpression(r.licenseExpression);
  if (extras.licenseFile !== null) {
    const file = escapeHtml(extras.licenseFile);
    return extras.licenseText === null ? `${file} (in the package)` : `<a href="#license">${file}</a>`;
  }
  if (r.licenseUrl === DEPRECATED_LICENSE_URL) return 'A license file inside the package';
  if (r.licenseUrl) return urlOrText(r.licenseUrl, 'License');
  return null;
}

export function facts(
  links: FeedLinks,
  r: PackageVersionRecord,
  totalDownloads: number,
  extras: PackageExtras,
): string {
  const repository = extras.repository;
  const rows: [string, string | null][] = [
    ['Downloads', `${formatCount(totalDownloads)} in all, ${formatCount(r.downloads)} of this version`],
    ['Published', r.listed ? dateElement(r.published) : null],
    ['Authors', r.authors ? escapeHtml(r.authors) : null],
    ['License', license(r, extras)],
    ['Project', r.projectUrl ? urlOrText(r.projectUrl) : null],
    [
      'Repository',
      repository ? `${urlOrText(repository.url)}${repository.type ? ` (${escapeHtml(repository.type)})` : ''}` : null,
    ],
    ['Copyright', r.copyright ? escapeHtml(r.copyright) : null],
    ['Size', formatBytes(r.packageSize)],
  ];
  const shown = rows.filter((row): row is [string, string] => row[1] !== null);
  const files = [
    link(links.packageContent(r.lowerId, r.lowerVersion), 'Download package (.nupkg)'),
    link(links.manifest(r.lowerId, r.lowerVersion), 'Manifest (.nuspec)'),
    link(links.reportAbuse(r.id, r.version), 'Report this package'),
  ];
  return `<dl class="facts">\n${shown.map(([term, value]) => `<dt>${term}</dt><dd>${value}</dd>`).join('\n')}\n</dl>
<ul class="file-links">${files.map((f) => `<li>${f}</li>`).join('')}</ul>`;
}
