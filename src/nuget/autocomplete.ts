/**
 * Autocomplete responses (protocol §6). nuget.org matches prefixes of id tokens; the official
 * client then keeps only ids starting with the typed text (§6.1 [CLIENT]), so true prefix
 * matches rank before token-prefix matches.
 */
import { sortVersions } from './search';

export interface AutocompleteResponse {
  '@context': { '@vocab': string };
  totalHits: number;
  data: string[];
}

export interface AutocompleteCandidate {
  id: string;
  lowerId: string;
  totalDownloads: number;
}

function responseOf(totalHits: number, data: string[]): AutocompleteResponse {
  return { '@context': { '@vocab': 'http://schema.nuget.org/schema#' }, totalHits, data };
}

/** Where each token of an id starts: after '.', '-', '_' and at camel-case humps ("XmlParser", "XMLParser"). */
export function tokenStarts(id: string): number[] {
  const starts = [0];
  for (let i = 1; i < id.length; i++) {
    const [before, here, after] = [id[i - 1] ?? '', id[i] ?? '', id[i + 1] ?? ''];
    const upper = (c: string) => c !== '' && c === c.toUpperCase() && c !== c.toLowerCase();
    const lower = (c: string) => c !== '' && c === c.toLowerCase() && c !== c.toUpperCase();
    const afterSeparator = /[.\-_]/.test(before) && !/[.\-_]/.test(here);
    const hump = upper(here) && (!upper(before) || lower(after)) && !/[.\-_]/.test(before);
    if (afterSeparator || hump) starts.push(i);
  }
  return starts;
}

/** 0: the id starts with q; 1: one of its tokens does; null: no match. */
function tier(candidate: AutocompleteCandidate, lowerQ: string): 0 | 1 | null {
  if (candidate.lowerId.startsWith(lowerQ)) return 0;
  return tokenStarts(candidate.id).some((i) => candidate.lowerId.startsWith(lowerQ, i)) ? 1 : null;
}

/** §6.1 id mode: prefix matches, then token-prefix matches, each by downloads then id; paged. */
export function autocompleteIds(
  candidates: readonly AutocompleteCandidate[],
  q: string,
  skip: number,
  take: number,
): AutocompleteResponse {
  const lowerQ = q.trim().toLowerCase();
  const ranked = candidates
    .map((c) => ({ c, tier: tier(c, lowerQ) }))
    .filter((r): r is { c: AutocompleteCandidate; tier: 0 | 1 } => r.tier !== null)
    .sort(
      (a, b) =>
        a.tier - b.tier ||
        b.c.totalDownloads - a.c.totalDownloads ||
        (a.c.lowerId < b.c.lowerId ? -1 : a.c.lowerId > b.c.lowerId ? 1 : 0),
    );
  return responseOf(
    ranked.length,
    ranked.slice(skip, skip + take).map((r) => r.c.id),
  );
}

/**
 * §6.2 version mode: eligible listed versions ascending in NuGet order, full strings. Build
 * metadata is shown only to SemVer 2 clients (a version carrying it is SemVer 2 anyway, §9.5).
 */
export function autocompleteVersions(versions: readonly string[], semVer2: boolean): AutocompleteResponse {
  const sorted = sortVersions(versions.map((version) => ({ version }))).map((v) => v.version);
  return responseOf(sorted.length, semVer2 ? sorted : sorted.map((v) => v.split('+')[0] ?? v));
}
