/**
 * `/packages/{id}` and `/packages/{id}/{version}`: one version of a package, with its rendered
 * README, install lines, versions, dependencies and facts, and its deprecation and advisories
 * (notices.ts) above them all. It is also the page behind the
 * client's PackageDetailsUriTemplate (protocol §8.3) and the registration's readmeUrl (§4.6).
 */
import type { PackageVersionRecord } from '../nuget/types';
import { escapeHtml, installVersion } from './html';
import { installSnippets, sourceName } from './install';
import { type GalleryContext, galleryPage } from './layout';
import { iconSrc, tagList } from './packageList';
import { advisoryNotice, deprecationNotice } from './notices';
import {
  badge,
  dependencyList,
  facts,
  NO_MARKS,
  type PackageExtras,
  type VersionMarks,
  type VersionSummary,
  versionsTable,
} from './packageParts';
import { renderReadme } from './readme';
import { snippetTabs } from './snippets';

export interface PackagePageData {
  record: PackageVersionRecord;
  versions: readonly VersionSummary[];
  totalVersions: number;
  totalDownloads: number;
  /** The README's Markdown; null when the version has none. */
  readme: string | null;
  /** Lower ids of the dependencies, and of the deprecation's alternate package, the feed has a listed version of. */
  dependenciesOnFeed: ReadonlySet<string>;
  extras: PackageExtras;
  /** The table's deprecated versions and the id's advisories; without them nothing is marked or warned of. */
  marks?: VersionMarks;
}

function section(heading: string, id: string, content: string): string {
  return `<section aria-labelledby="${id}"><h2 id="${id}">${escapeHtml(heading)}</h2>\n${content}\n</section>`;
}

function head(ctx: GalleryContext, r: PackageVersionRecord): string {
  const title = r.title && r.title !== r.id ? `<p class="id-line">${escapeHtml(r.id)}</p>` : '';
  const badges = [
    r.isPrerelease ? badge('prerelease', 'Prerelease') : '',
    r.listed ? '' : badge('unlisted', 'Unlisted'),
  ];
  return `<div class="package-head">
<img class="icon" src="${escapeHtml(iconSrc(ctx.links, r))}" alt="" width="72" height="72" referrerpolicy="no-referrer">
<div>
<h1>${escapeHtml(r.title || r.id)} <span class="version">${escapeHtml(r.version)}</span> ${badges.join(' ').trim()}</h1>
${title}${r.authors ? `<p class="authors">by ${escapeHtml(r.authors)}</p>` : ''}
</div>
</div>`;
}

function readme(ctx: GalleryContext, r: PackageVersionRecord, markdown: string | null): string {
  if (markdown === null) return '<p>This package has no README.</p>';
  const ownFiles = `${ctx.links.flatContainer}${r.lowerId}/`;
  return `<div class="readme">${renderReadme({ markdown, ownFiles })}</div>
<p class="note"><a href="${escapeHtml(ctx.links.readme(r.lowerId, r.lowerVersion))}">README as Markdown</a></p>`;
}

export function packagePageHtml(ctx: GalleryContext, data: PackagePageData): string {
  const r = data.record;
  const marks = data.marks ?? NO_MARKS;
  const snippets = installSnippets({
    id: r.id,
    version: installVersion(r.version),
    packageTypes: r.packageTypes,
    source: ctx.links.serviceIndex,
    repositoryName: sourceName(ctx.feedName),
  });
  const unlisted = r.listed
    ? ''
    : '<p class="notice" role="note"><strong>Unlisted:</strong> this version is hidden from search and from “latest”, but can still be restored by its exact version.</p>';
  const notices = [
    deprecationNotice(ctx.links, r.deprecation, data.dependenciesOnFeed),
    advisoryNotice(r.version, marks.advisories),
    unlisted,
  ];
  const main = [
    section('Install', 'install', snippetTabs('install', snippets, 'Install with')),
    section('README', 'readme', readme(ctx, r, data.readme)),
    data.extras.licenseText === null
      ? ''
      : section('License', 'license', `<pre class="license-text">${escapeHtml(data.extras.licenseText)}</pre>`),
    r.releaseNotes
      ? section('Release notes', 'release-notes', `<pre class="release-notes">${escapeHtml(r.releaseNotes)}</pre>`)
      : '',
    section('Dependencies', 'dependencies', dependencyList(ctx.links, r.dependencyGroups, data.dependenciesOnFeed)),
    section('Versions', 'versions', versionsTable(ctx.links, r, data.versions, data.totalVersions, marks)),
  ];
  const body = `<article class="package">
${head(ctx, r)}
${notices.filter((part) => part !== '').join('\n')}
<p class="description">${escapeHtml(r.description)}</p>
${tagList(ctx.links, r.tags)}
<div class="package-grid">
<div class="package-main">
${main.filter((part) => part !== '').join('\n')}
</div>
<aside class="package-side" aria-label="About this package">
<h2 class="visually-hidden">About</h2>
${facts(ctx.links, r, data.totalDownloads, data.extras)}
</aside>
</div>
</article>`;
  const description = (r.summary || r.description).slice(0, 300);
  return galleryPage(ctx, {
    title: `${r.id} ${r.version} · ${ctx.feedName}`,
    description,
    body,
    openGraph: { url: ctx.links.packageDetails(r.id, r.version), image: iconSrc(ctx.links, r) },
  });
}
