/**
 * The V2 (OData) feed's documents as a client reads them: fetched through the Worker and parsed
 * with fast-xml-parser, entries reduced to their properties (m:null → null), content/@src, atom
 * id and the next link.
 */
import { exports } from 'cloudflare:workers';
import { XMLParser } from 'fast-xml-parser';
import { expect } from 'vitest';
import { FEED } from './nupkg';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => name === 'entry' || name === 'link',
});

export interface V2Entry {
  atomId: string;
  title: string;
  contentSrc: string;
  contentSelfClosing: boolean;
  properties: Record<string, string | null>;
  types: Record<string, string>;
}

export interface V2Feed {
  entries: V2Entry[];
  next: string | null;
}

export const v2Get = (path: string, init?: RequestInit) =>
  exports.default.fetch(new Request(path.startsWith('http') ? path : `${FEED}/api/v2/${path}`, init));

function entryOf(entry: any, xml: string): V2Entry {
  const properties: Record<string, string | null> = {};
  const types: Record<string, string> = {};
  for (const [key, value] of Object.entries(entry['m:properties'] ?? {})) {
    const name = key.replace(/^d:/, '');
    if (typeof value === 'object' && value !== null) {
      const v = value as Record<string, string>;
      properties[name] = v['@m:null'] === 'true' ? null : (v['#text'] ?? '');
      if (v['@m:type']) types[name] = v['@m:type'];
    } else {
      properties[name] = String(value);
    }
  }
  const atomId = String(entry.id);
  return {
    atomId,
    title: typeof entry.title === 'object' ? entry.title['#text'] : String(entry.title),
    contentSrc: entry.content['@src'],
    contentSelfClosing: xml.includes(`<content type="application/zip" src="${entry.content['@src']}" />`),
    properties,
    types,
  };
}

/** A feed document: 200, Atom feed content type, its entries and next link. */
export async function v2Feed(path: string): Promise<V2Feed> {
  const response = await v2Get(path);
  const xml = await response.text();
  expect(response.status, `${path}: ${xml.slice(0, 300)}`).toBe(200);
  expect(response.headers.get('Content-Type')).toContain('application/atom+xml');
  const feed = parser.parse(xml).feed;
  expect(feed, xml.slice(0, 300)).toBeDefined();
  const next = (feed.link ?? []).find((link: any) => link['@rel'] === 'next');
  return { entries: (feed.entry ?? []).map((e: any) => entryOf(e, xml)), next: next?.['@href'] ?? null };
}

/** Follows next links from `path` to the end; fails on a repeated URL, as NuGet.Protocol does. */
export async function v2AllPages(path: string): Promise<{ entries: V2Entry[]; pages: string[] }> {
  const pages: string[] = [];
  const entries: V2Entry[] = [];
  let url: string | null = path;
  while (url !== null && pages.length < 50) {
    expect(pages).not.toContain(url);
    pages.push(url);
    const page: V2Feed = await v2Feed(url);
    entries.push(...page.entries);
    url = page.next;
  }
  return { entries, pages };
}

/** A single-entry document (Packages(Id=,Version=)): its root is <entry>. */
export async function v2Entry(path: string): Promise<V2Entry> {
  const response = await v2Get(path);
  const xml = await response.text();
  expect(response.status, xml.slice(0, 300)).toBe(200);
  const root = parser.parse(xml).entry?.[0];
  expect(root, xml.slice(0, 300)).toBeDefined();
  return entryOf(root, xml);
}

export const versionsOf = (feed: { entries: V2Entry[] }) => feed.entries.map((e) => e.properties.Version);
