/** The package rows of search results and of the home page's lists, and the icon every page shows. */
import type { FeedLinks } from '../links';
import type { PackageVersionRecord } from '../nuget/types';
import { compactCount, escapeHtml, httpUrl } from './html';

/**
 * The package's embedded icon (served by this feed), else its iconUrl when that is https, else
 * the feed's default icon: a page never makes the browser fetch over plain http.
 */
export function iconSrc(links: FeedLinks, r: PackageVersionRecord): string {
  if (r.iconContentType !== '') return links.icon(r.lowerId, r.lowerVersion);
  return httpUrl(r.iconUrl, { httpsOnly: true }) ?? links.galleryAssets.defaultIcon;
}

export interface SearchState {
  q: string;
  prerelease: boolean;
  /** A package type name as the user picked it; '' for any. */
  packageType: string;
  /** 1-based. */
  page: number;
}

/** A search page URL; defaults are left out so that each search has one short URL. */
export function searchHref(links: FeedLinks, state: Partial<SearchState>): string {
  const params = new URLSearchParams();
  if (state.q) params.set('q', state.q);
  if (state.prerelease === false) params.set('prerelease', 'false');
  if (state.packageType) params.set('packageType', state.packageType);
  if (state.page !== undefined && state.page > 1) params.set('page', String(state.page));
  const query = params.toString();
  return query ? `${links.packageSearchPage}?${query}` : links.packageSearchPage;
}

export function tagList(links: FeedLinks, tags: string): string {
  const names = [...new Set(tags.split(/[\s,;]+/).filter((tag) => tag !== ''))].slice(0, 12);
  if (names.length === 0) return '';
  const items = names.map(
    (tag) => `<li><a href="${escapeHtml(searchHref(links, { q: `tags:"${tag}"` }))}">${escapeHtml(tag)}</a></li>`,
  );
  return `<ul class="tags" aria-label="Tags">${items.join('')}</ul>`;
}

const DESCRIPTION_LENGTH = 280;

function shortDescription(r: PackageVersionRecord): string {
  const text = (r.summary || r.description).trim();
  return text.length > DESCRIPTION_LENGTH ? `${text.slice(0, DESCRIPTION_LENGTH).trimEnd()}…` : text;
}

export interface PackageRow {
  /** The id as the feed displays it (casing of the first push). */
  id: string;
  latest: PackageVersionRecord;
  totalDownloads: number;
}

function packageRow(links: FeedLinks, row: PackageRow): string {
  const r = row.latest;
  return `<li class="package-row">
<img class="icon" src="${escapeHtml(iconSrc(links, r))}" alt="" width="48" height="48" loading="lazy" referrerpolicy="no-referrer">
<div class="row-body">
<h3><a href="${escapeHtml(links.packagePage(row.id))}">${escapeHtml(row.id)}</a> <span class="version">${escapeHtml(r.version)}</span></h3>
<p class="description">${escapeHtml(shortDescription(r))}</p>
<p class="meta"><span class="downloads">${compactCount(row.totalDownloads)} downloads</span>${r.authors ? ` · by ${escapeHtml(r.authors)}` : ''}</p>
${tagList(links, r.tags)}
</div>
</li>`;
}

export function packageRows(links: FeedLinks, rows: readonly PackageRow[], label: string): string {
  return `<ul class="package-list" aria-label="${escapeHtml(label)}">\n${rows.map((row) => packageRow(links, row)).join('\n')}\n</ul>`;
}
