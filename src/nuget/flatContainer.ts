/** The flat container's version list (protocol §3.2). */

export interface VersionsIndex {
  versions: string[];
}

/**
 * Every downloadable version, listed or not, SemVer 1 and 2, as lowercase normalized strings
 * without metadata: the client builds .nupkg URLs from them verbatim (pitfall 3). The client
 * sorts, but nuget.org sends ascending NuGet order, and so do we: `versions` come in that order
 * (package_versions.sort_key).
 */
export function versionsIndex(lowerVersions: readonly string[]): VersionsIndex {
  return { versions: [...lowerVersions] };
}
