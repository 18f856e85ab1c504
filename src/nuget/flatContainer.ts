/** The flat container's version list (protocol §3.2). */
import type { PackageVersionRecord } from './types';
import { compareVersions, lowerVersion, parseVersion, type NuGetVersion } from './version';

export interface VersionsIndex {
  versions: string[];
}

/**
 * Every downloadable version, listed or not, SemVer 1 and 2, as lowercase normalized strings
 * without metadata: the client builds .nupkg URLs from them verbatim (pitfall 3). The client
 * sorts, but nuget.org sends ascending NuGet order, and so do we.
 */
export function versionsIndex(versions: readonly PackageVersionRecord[]): VersionsIndex {
  const parsed: NuGetVersion[] = versions.map((record) => {
    const version = parseVersion(record.version);
    if (!version) throw new Error(`Stored version ${record.lowerId} ${record.version} does not parse.`);
    return version;
  });
  return { versions: parsed.sort(compareVersions).map(lowerVersion) };
}
