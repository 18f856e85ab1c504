/**
 * The feed's own images: the favicon (also the header mark) and the icon of packages that have
 * none of their own. SVG: a few hundred bytes, sharp at every size, in both colour schemes.
 */
export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="14" fill="#0b5cad"/><path d="M32 12 50 22v20L32 52 14 42V22z" fill="none" stroke="#fff" stroke-width="5" stroke-linejoin="round"/><path d="M14 22l18 10 18-10M32 32v20" fill="none" stroke="#fff" stroke-width="5" stroke-linejoin="round"/></svg>`;

export const DEFAULT_ICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="10" fill="#8c959f"/><path d="M32 14 48 23v18L32 50 16 41V23z" fill="none" stroke="#fff" stroke-width="4" stroke-linejoin="round"/><path d="M16 23l16 9 16-9M32 32v18" fill="none" stroke="#fff" stroke-width="4" stroke-linejoin="round"/></svg>`;

/** robots.txt: a public feed's pages may be indexed (the API and files are no use to a crawler); a private feed's nothing. */
export function robotsTxt(privateFeed: boolean, apiPaths: readonly string[]): string {
  if (privateFeed) return 'User-agent: *\nDisallow: /\n';
  return `User-agent: *\n${apiPaths.map((path) => `Disallow: ${path}`).join('\n')}\nAllow: /\n`;
}
