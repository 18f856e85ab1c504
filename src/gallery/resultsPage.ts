/**
 * `/packages?q=…`: search results from the API's own search (same query syntax, ranking and
 * filters), a result count, filters for prerelease and package type, and a pager.
 */
import type { SearchPackage } from '../nuget/search';
import { escapeHtml, formatCount } from './html';
import { type GalleryContext, galleryPage } from './layout';
import { packageRows, type SearchState, searchHref } from './packageList';

/** The package types offered as filters (NuGet's well-known ones); the API takes any name. */
export const PACKAGE_TYPE_FILTERS = ['Dependency', 'DotnetTool', 'Template', 'MSBuildSdk', 'DotnetPlatform'] as const;

export interface ResultsData {
  state: SearchState;
  totalHits: number;
  packages: readonly SearchPackage[];
  pageSize: number;
}

function option(value: string, label: string, selected: boolean): string {
  return `<option value="${escapeHtml(value)}"${selected ? ' selected' : ''}>${escapeHtml(label)}</option>`;
}

function filters(ctx: GalleryContext, state: SearchState): string {
  const types = [option('', 'Any type', state.packageType === '')];
  for (const type of PACKAGE_TYPE_FILTERS)
    types.push(option(type, type, state.packageType.toLowerCase() === type.toLowerCase()));
  if (state.packageType && !PACKAGE_TYPE_FILTERS.some((t) => t.toLowerCase() === state.packageType.toLowerCase())) {
    types.push(option(state.packageType, state.packageType, true));
  }
  return `<form class="filters" role="search" aria-label="Search and filter" action="${escapeHtml(ctx.links.packageSearchPage)}" method="get">
<label for="q">Search</label>
<input id="q" type="search" name="q" value="${escapeHtml(state.q)}" placeholder="id, words, tags:json, author:…">
<label for="prerelease">Versions</label>
<select id="prerelease" name="prerelease">${option('true', 'Include prerelease', state.prerelease)}${option('false', 'Stable only', !state.prerelease)}</select>
<label for="packageType">Package type</label>
<select id="packageType" name="packageType">${types.join('')}</select>
<button type="submit">Search</button>
</form>`;
}

function pager(ctx: GalleryContext, data: ResultsData): string {
  const pages = Math.max(1, Math.ceil(data.totalHits / data.pageSize));
  if (pages <= 1) return '';
  const { page } = data.state;
  const to = (n: number, text: string, rel: string) =>
    `<a href="${escapeHtml(searchHref(ctx.links, { ...data.state, page: n }))}" rel="${rel}">${text}</a>`;
  return `<nav class="pager" aria-label="Result pages">
${page > 1 ? to(page - 1, '← Previous', 'prev') : '<span aria-hidden="true"></span>'}
<span>Page ${page} of ${pages}</span>
${page < pages ? to(page + 1, 'Next →', 'next') : '<span aria-hidden="true"></span>'}
</nav>`;
}

function countLine(data: ResultsData): string {
  const n = `${formatCount(data.totalHits)} ${data.totalHits === 1 ? 'package' : 'packages'}`;
  return data.state.q ? `${n} found for “${escapeHtml(data.state.q)}”` : n;
}

export function resultsHtml(ctx: GalleryContext, data: ResultsData): string {
  const rows = data.packages.map((p) => ({ id: p.id, latest: p.latest, totalDownloads: p.totalDownloads }));
  const list =
    rows.length > 0
      ? packageRows(ctx.links, rows, 'Search results')
      : `<p class="empty">No packages match. Try fewer words, <code>id:</code>, <code>tags:</code> or <code>author:</code>, or include prerelease versions.</p>`;
  const body = [
    `<h1>${data.state.q ? 'Search results' : 'All packages'}</h1>`,
    filters(ctx, data.state),
    `<p class="result-count" role="status">${countLine(data)}</p>`,
    list,
    pager(ctx, data),
  ];
  return galleryPage(ctx, {
    title: data.state.q ? `${data.state.q} · ${ctx.feedName}` : `Packages · ${ctx.feedName}`,
    description: `Search the packages of ${ctx.feedName}.`,
    body: body.join('\n'),
    query: data.state.q,
  });
}
