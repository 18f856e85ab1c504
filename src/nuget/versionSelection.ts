/**
 * Which versions of an id an operator's command names: `1.2.0` means exactly that version (not
 * NuGet's "at least", which would surprise someone deprecating one release), `*` every version,
 * and an interval such as `[1.0.0, 2.0.0)` what it says (§9.4). As sort-key bounds, SQL selects
 * those versions from package_versions_order without reading the others (versionSortKey keeps
 * NuGet order, metadata ignored as Satisfies ignores it).
 */
import { normalizedRange, parseRange, rangeSatisfies, type VersionRange } from './range';
import { type NuGetVersion, parseVersion, versionSortKey } from './version';

export interface VersionSelection {
  range: VersionRange;
  /** The normalized range (§9.4): how it is stored and shown. */
  text: string;
}

/** Sort-key bounds; null: unbounded on that side. */
export interface SortKeyBounds {
  min: string | null;
  minInclusive: boolean;
  max: string | null;
  maxInclusive: boolean;
}

export function parseVersionSelection(text: string): VersionSelection | null {
  const trimmed = text.trim();
  const exact = parseVersion(trimmed);
  const range =
    trimmed === '*'
      ? parseRange('(, )')
      : exact
        ? parseRange(`[${trimmed}]`)
        : parseRange(trimmed, { allowFloating: false });
  return range ? { range, text: normalizedRange(range) } : null;
}

export function selects(selection: VersionSelection, version: NuGetVersion): boolean {
  return rangeSatisfies(selection.range, version);
}

export function sortKeyBounds(range: VersionRange): SortKeyBounds {
  return {
    min: range.minVersion ? versionSortKey(range.minVersion) : null,
    minInclusive: range.isMinInclusive,
    max: range.maxVersion ? versionSortKey(range.maxVersion) : null,
    maxInclusive: range.isMaxInclusive,
  };
}
