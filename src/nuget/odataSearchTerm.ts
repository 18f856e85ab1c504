/**
 * Search()'s searchTerm. PackageManagement (for PowerShellGet) appends ` tag:<tag>` for each tag
 * it filters on, and its tags are whole nuspec tags (`PSModule`, `PSCommand_Get-Thing`), so a
 * `tag:` term here is an exact, case-insensitive tag, not a token search. The rest is the V3
 * query syntax (src/nuget/searchQuery.ts); a `*` wildcard is no token, so `Contoso*` is the
 * prefix search free text already is, and `*` alone searches everything.
 */
import { parseSearchQuery, type SearchQuery } from './searchQuery';

export interface V2SearchTerm {
  query: SearchQuery;
  /** Lowercased tags every hit must carry. */
  tags: string[];
}

/** Tags beyond this are ignored: it bounds the statement's bound parameters. */
const MAX_TAGS = 8;

export function parseV2SearchTerm(searchTerm: string): V2SearchTerm {
  const tags: string[] = [];
  const rest = searchTerm.replace(/(^|\s)tags?:(\S+)/gi, (_, space: string, tag: string) => {
    tags.push(tag.toLowerCase());
    return space;
  });
  return { query: parseSearchQuery(rest.trim()), tags: [...new Set(tags)].slice(0, MAX_TAGS) };
}
