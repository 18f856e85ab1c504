/**
 * The package_versions columns (schema.sql) of every PackageVersionRecord field: the one place a
 * new nuspec field is mapped to its column. sort_key is not a field: packages.ts derives it.
 */
import type { PackageVersionRecord } from '../nuget/types';
import type { Deprecation } from '../nuget/deprecation';
import { flag, json, optionalJson, plain, rowMapping } from './columns';

export const versionRows = rowMapping<PackageVersionRecord>({
  lowerId: plain('lower_id'),
  lowerVersion: plain('lower_version'),
  id: plain('id'),
  version: plain('version'),
  originalVersion: plain('original_version'),
  isPrerelease: flag('is_prerelease'),
  isSemVer2: flag('is_semver2'),
  listed: flag('listed'),
  created: plain('created'),
  published: plain('published'),
  lastEdited: plain('last_edited'),
  packageHash: plain('package_hash'),
  packageSize: plain('package_size'),
  authors: plain('authors'),
  description: plain('description'),
  title: plain('title'),
  summary: plain('summary'),
  tags: plain('tags'),
  projectUrl: plain('project_url'),
  iconUrl: plain('icon_url'),
  licenseUrl: plain('license_url'),
  licenseExpression: plain('license_expression'),
  releaseNotes: plain('release_notes'),
  copyright: plain('copyright'),
  language: plain('language'),
  minClientVersion: plain('min_client_version'),
  requireLicenseAcceptance: flag('require_license_acceptance'),
  developmentDependency: flag('development_dependency'),
  hasReadme: flag('has_readme'),
  iconContentType: plain('icon_content_type'),
  packageTypes: json('package_types'),
  dependencyGroups: json('dependency_groups'),
  downloads: plain('downloads'),
  deprecation: optionalJson<Deprecation>('deprecation'),
});
