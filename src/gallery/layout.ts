/**
 * The shell of every gallery page: head (title, description, Open Graph, the feed's own styles,
 * script and icon, never another origin's), the header with the feed's name and a search box,
 * and the footer. Pages pass their body already escaped.
 */
import type { FeedLinks } from '../links';
import { escapeHtml } from './html';

/** What every page builder needs to know about the feed it is drawn for. */
export interface GalleryContext {
  feedName: string;
  links: FeedLinks;
  /** A private feed: shown so, and its snippets carry credential placeholders, never a secret. */
  privateFeed: boolean;
}

export interface PageSpec {
  title: string;
  description: string;
  body: string;
  /** The text already in the header's search box. */
  query?: string;
  /** The home page has its own big search box instead of the header's. */
  headerSearch?: boolean;
  /** Open Graph: the page's canonical URL and image (absolute). */
  openGraph?: { url: string; image: string };
}

export function searchForm(ctx: GalleryContext, query: string, id: string, extra = ''): string {
  return `<form class="search" role="search" aria-label="Search packages" action="${escapeHtml(ctx.links.packageSearchPage)}" method="get">
<label class="visually-hidden" for="${id}">Search packages</label>
<input id="${id}" type="search" name="q" value="${escapeHtml(query)}" placeholder="Search packages" autocomplete="off">
${extra}<button type="submit">Search</button>
</form>`;
}

function openGraph(ctx: GalleryContext, spec: PageSpec): string {
  if (!spec.openGraph) return '';
  const meta = (property: string, content: string) => `<meta property="${property}" content="${escapeHtml(content)}">`;
  return [
    meta('og:type', 'website'),
    meta('og:site_name', ctx.feedName),
    meta('og:title', spec.title),
    meta('og:description', spec.description),
    meta('og:url', spec.openGraph.url),
    meta('og:image', spec.openGraph.image),
    '<meta name="twitter:card" content="summary">',
  ].join('\n');
}

export function galleryPage(ctx: GalleryContext, spec: PageSpec): string {
  const { links } = ctx;
  const assets = links.galleryAssets;
  const header = spec.headerSearch === false ? '' : searchForm(ctx, spec.query ?? '', 'header-q');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${escapeHtml(spec.title)}</title>
<meta name="description" content="${escapeHtml(spec.description)}">
${openGraph(ctx, spec)}
<link rel="icon" href="${escapeHtml(assets.favicon)}" type="image/svg+xml">
<link rel="stylesheet" href="${escapeHtml(assets.styles)}">
<script src="${escapeHtml(assets.script)}" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
<a class="brand" href="${escapeHtml(links.home)}"><img src="${escapeHtml(assets.favicon)}" alt="" width="28" height="28"><span>${escapeHtml(ctx.feedName)}</span></a>
${header}
</header>
<main id="main">
${spec.body}
</main>
<footer class="bottom">
<p>${escapeHtml(ctx.feedName)} is a NuGet V3 feed${ctx.privateFeed ? ' (private)' : ''} · <a href="${escapeHtml(links.serviceIndex)}">Service index</a> · Served by EdgeGet</p>
</footer>
</body>
</html>
`;
}
