/** Values shared by the pure protocol code, the store and the routes. */
import type { Deprecation } from './deprecation';

export interface PackageType {
  name: string;
  version?: string;
}

export interface PackageDependency {
  id: string;
  /** Normalized range (protocol §9.4), e.g. "[1.0.0, )"; "" when the nuspec gives none. */
  range: string;
}

export interface DependencyGroup {
  /** As written in the nuspec; absent for the framework-agnostic group (§4.6: never ""). */
  targetFramework?: string;
  dependencies: PackageDependency[];
}

/** A validated .nuspec: what a push stores about one package version. */
export interface PackageManifest {
  id: string;
  /** Verbatim <version> text. */
  originalVersion: string;
  /** Normalized + "+metadata", label casing kept (protocol §9.2 "full" string). */
  version: string;
  /** Normalized, no metadata, lowercased: the version's identity and URL segment. */
  lowerVersion: string;
  isPrerelease: boolean;
  /** Version or any dependency bound is SemVer 2 (§9.5). */
  isSemVer2: boolean;
  authors: string;
  description: string;
  title: string;
  summary: string;
  tags: string;
  projectUrl: string;
  iconUrl: string;
  licenseUrl: string;
  licenseExpression: string;
  releaseNotes: string;
  copyright: string;
  language: string;
  minClientVersion: string;
  requireLicenseAcceptance: boolean;
  developmentDependency: boolean;
  /** Path inside the package of the embedded icon / readme / license file, "" when none. */
  iconFile: string;
  readmeFile: string;
  licenseFile: string;
  packageTypes: PackageType[];
  dependencyGroups: DependencyGroup[];
}

/** One stored package version (a package_versions row). */
export interface PackageVersionRecord extends Omit<PackageManifest, 'iconFile' | 'readmeFile' | 'licenseFile'> {
  lowerId: string;
  listed: boolean;
  /** ISO 8601 UTC. */
  created: string;
  /** ISO 8601 UTC: the last time the version became listed. */
  published: string;
  /** ISO 8601 UTC: the last unlist or relist (the catalog leaf's lastEdited, §7.3); "" when never edited. */
  lastEdited: string;
  /** Base64 SHA-512 of the exact pushed bytes. */
  packageHash: string;
  packageSize: number;
  hasReadme: boolean;
  /** Content type of the embedded icon, "" when there is none. */
  iconContentType: string;
  downloads: number;
  /** Set by an operator (`edgeget deprecate`, §4.6); null when the version is not deprecated. */
  deprecation: Deprecation | null;
}

/** A package id's registration row. */
export interface PackageRegistration {
  lowerId: string;
  /** Display casing (first push). */
  id: string;
  generation: number;
}

/** The blobs a version stores beside its .nupkg, read from the package. */
export interface PackageFiles {
  /** The .nuspec entry's exact bytes. */
  nuspec: Uint8Array;
  readme: Uint8Array | null;
  icon: { bytes: Uint8Array; contentType: string } | null;
}
