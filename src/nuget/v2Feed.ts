/**
 * The V2 feed's documents around its entries: the AtomPub service document at /api/v2 (its
 * first bytes `<?xml`, PackageManagement's test for a V2 feed) and a collection as an Atom
 * `<feed>`, with an absolute `next` link when the server cut the page.
 */
import type { V2Links } from '../odataLinks';
import { escapeXml, rootNamespaces, XML_DECLARATION } from './atomXml';
import { type V2Package, v2EntryXml } from './v2Entry';

export function v2ServiceDocument(links: V2Links): string {
  return `${XML_DECLARATION}
<service xml:base="${escapeXml(links.base)}" xmlns="http://www.w3.org/2007/app" xmlns:atom="http://www.w3.org/2005/Atom">
<workspace><atom:title type="text">Default</atom:title>
<collection href="Packages"><atom:title type="text">Packages</atom:title></collection>
</workspace>
</service>
`;
}

export interface V2FeedPage {
  /** The collection's name: the feed's title and self link (FindPackagesById, Search, Packages, GetUpdates). */
  title: string;
  packages: readonly V2Package[];
  /** The next page's absolute URL; null on the last page. */
  next: string | null;
  /** ISO 8601 UTC: the feed's <updated>, the time it was built. */
  updated: string;
}

export function v2FeedXml(links: V2Links, page: V2FeedPage): string {
  const title = escapeXml(page.title);
  const next = page.next === null ? '' : `\n<link rel="next" href="${escapeXml(page.next)}" />`;
  return `${XML_DECLARATION}
<feed ${rootNamespaces(links.base)}>
<id>${escapeXml(links.base)}${title}</id>
<title type="text">${title}</title>
<updated>${escapeXml(page.updated)}</updated>
<link rel="self" title="${title}" href="${title}" />
${page.packages.map((pkg) => v2EntryXml(links, pkg)).join('\n')}${next}
</feed>
`;
}

/** `Packages(Id='…',Version='…')`: the entry is the document's root. */
export function v2EntryDocument(links: V2Links, pkg: V2Package): string {
  return `${XML_DECLARATION}\n${v2EntryXml(links, pkg, true)}\n`;
}
