/**
 * Checks a gallery HTML string for anything that could run or load what it should not, by its
 * tags: every string from a package is escaped, so a `<` in the output is always a real tag.
 */
import { expect } from 'vitest';

const TAG = /<([a-zA-Z][\w-]*)((?:\s+[^\s=>]+(?:="[^"]*")?)*)\s*\/?>/g;
const ATTRIBUTE = /\s+([^\s=>]+)(?:="([^"]*)")?/g;
const README_TAGS = new Set(
  'p a img h3 h4 h5 h6 ul ol li code pre em strong blockquote table thead tbody tr th td del hr br span'.split(' '),
);

function decode(value: string): string {
  return value
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCodePoint(Number.parseInt(n, 16)))
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"');
}

export interface InertOptions {
  /** Only the tags a rendered README may hold (no script at all). */
  readme?: boolean;
  /** The one script a page may load: the feed's own. */
  script?: string;
}

export function expectInert(html: string, options: InertOptions = {}): void {
  // Every `<` must open a well-formed tag: a stray one means markup escaped its escaping.
  const stray = html
    .replace(TAG, '')
    .replace(/<\/[a-zA-Z][\w-]*>/g, '')
    .replace(/<!DOCTYPE html>/, '');
  expect(stray, 'a "<" outside any tag').not.toContain('<');
  for (const [, name = '', attributes = ''] of html.matchAll(TAG)) {
    const tag = name.toLowerCase();
    if (options.readme) expect(README_TAGS.has(tag), `<${tag}> in a README`).toBe(true);
    expect(['iframe', 'object', 'embed', 'style', 'svg', 'math', 'base']).not.toContain(tag);
    // The pages' own search forms submit to the feed; a README has none.
    if (tag === 'form')
      expect(attributes).toMatch(/ action="(https:\/\/feed\.test|http:\/\/127\.0\.0\.1:\d+)\/packages"/);
    for (const [, attribute = '', raw = ''] of attributes.matchAll(ATTRIBUTE)) {
      const key = attribute.toLowerCase();
      expect(key, `<${tag} ${key}>`).not.toMatch(/^on|^style$|^srcdoc$|^formaction$/);
      if (key === 'href' || key === 'src' || key === 'action') {
        const url = decode(raw).trim().toLowerCase();
        expect(url, `${key} of <${tag}>`).toMatch(/^(https?:\/\/|mailto:|#|\/)/);
        if (tag === 'img') expect(url).not.toMatch(/^http:\/\/(?!127\.0\.0\.1|feed\.test)/);
      }
    }
    if (tag === 'script') {
      expect(options.script, 'a script tag').toBeDefined();
      expect(attributes).toContain(`src="${options.script}"`);
    }
  }
}
