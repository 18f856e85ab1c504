/** `/`: the feed's name, a search box, how to add the feed, its totals, and what is new and popular. */
import type { PackageVersionRecord } from '../nuget/types';
import { escapeHtml, formatCount } from './html';
import { v2Links } from '../odataLinks';
import { sourceSnippets, v2SourceSnippets } from './install';
import { type GalleryContext, galleryPage, searchForm } from './layout';
import { type PackageRow, packageRows, searchHref } from './packageList';
import { snippetTabs } from './snippets';

export interface HomeData {
  totals: { packages: number; versions: number; downloads: number };
  recent: readonly PackageVersionRecord[];
  popular: readonly PackageRow[];
}

function section(heading: string, id: string, content: string): string {
  return `<section aria-labelledby="${id}"><h2 id="${id}">${escapeHtml(heading)}</h2>\n${content}\n</section>`;
}

function totals(t: HomeData['totals']): string {
  const items: [number, string][] = [
    [t.packages, t.packages === 1 ? 'package' : 'packages'],
    [t.versions, t.versions === 1 ? 'version' : 'versions'],
    [t.downloads, t.downloads === 1 ? 'download' : 'downloads'],
  ];
  return `<ul class="totals">${items.map(([n, label]) => `<li><strong>${formatCount(n)}</strong> ${label}</li>`).join('')}</ul>`;
}

export function homeHtml(ctx: GalleryContext, data: HomeData): string {
  const recent = data.recent.map((latest) => ({ id: latest.id, latest, totalDownloads: latest.downloads }));
  const empty = '<p>No packages yet. Push one with <code>dotnet nuget push</code> and it shows here.</p>';
  const body = [
    `<section class="hero" aria-labelledby="feed-name">
<h1 id="feed-name">${escapeHtml(ctx.feedName)}</h1>
<p class="lead">A NuGet package feed${ctx.privateFeed ? ' (private: every read needs a read token)' : ''}. Search it, read about a package and copy its install line.</p>
${searchForm(ctx, '', 'home-q')}
${totals(data.totals)}
</section>`,
    section(
      'Use this feed',
      'use-feed',
      [
        snippetTabs('source', sourceSnippets(ctx.feedName, ctx.links.serviceIndex, ctx.privateFeed), 'Add the feed'),
        '<p>Clients that speak only the older V2 protocol (PowerShellGet, Chocolatey, nuget.exe 2.x) use the V2 URL:</p>',
        snippetTabs(
          'source-v2',
          v2SourceSnippets(ctx.feedName, v2Links(ctx.links.origin).base, ctx.privateFeed),
          'Add the V2 feed',
        ),
      ].join('\n'),
    ),
    `<div class="columns">`,
    section(
      'Recently published',
      'recent',
      recent.length > 0 ? packageRows(ctx.links, recent, 'Recently published') : empty,
    ),
    section(
      'Most downloaded',
      'popular',
      data.popular.length > 0
        ? `${packageRows(ctx.links, data.popular, 'Most downloaded')}\n<p><a href="${escapeHtml(searchHref(ctx.links, {}))}">Browse all packages</a></p>`
        : empty,
    ),
    '</div>',
  ];
  return galleryPage(ctx, {
    title: ctx.feedName,
    description: `${ctx.feedName}: a NuGet package feed with ${formatCount(data.totals.packages)} packages.`,
    body: body.join('\n'),
    headerSearch: false,
  });
}
