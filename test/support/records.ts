/** Package version records for seeding D1 directly in tests that do not exercise push. */
import type { PackageVersionRecord } from '../../src/nuget/types';

export function versionRecord(
  id: string,
  version: string,
  overrides: Partial<PackageVersionRecord> = {},
): PackageVersionRecord {
  const lowerVersion = (version.split('+')[0] ?? version).toLowerCase();
  return {
    lowerId: id.toLowerCase(),
    lowerVersion,
    id,
    version,
    originalVersion: version,
    isPrerelease: lowerVersion.includes('-'),
    isSemVer2: version.includes('+') || /-.*\./.test(version),
    listed: true,
    created: '2026-01-01T00:00:00.000Z',
    published: '2026-01-01T00:00:00.000Z',
    lastEdited: '',
    packageHash: 'AAAA',
    packageSize: 100,
    authors: 'EdgeGet Tests',
    description: `Test package ${id}.`,
    title: '',
    summary: '',
    tags: '',
    projectUrl: '',
    iconUrl: '',
    licenseUrl: '',
    licenseExpression: '',
    releaseNotes: '',
    copyright: '',
    language: '',
    minClientVersion: '',
    requireLicenseAcceptance: false,
    developmentDependency: false,
    hasReadme: false,
    iconContentType: '',
    packageTypes: [],
    dependencyGroups: [],
    downloads: 0,
    deprecation: null,
    ...overrides,
  };
}
