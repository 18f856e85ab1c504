import type { FeedLinks } from '../links';

export interface ServiceResource {
  '@id': string;
  '@type': string;
  comment?: string;
  clientVersion?: string;
}

export interface ServiceIndexDocument {
  version: '3.0.0';
  resources: ServiceResource[];
  '@context': Record<string, string>;
}

/**
 * The service index (protocol §1). One entry per type string, because the client matches `@type`
 * exactly and looks up only some aliases (§1.2, pitfall 1): e.g. search is found through
 * `/Versioned`, `/3.4.0` or `/3.0.0-beta`, never through the plain or `-rc` types.
 * Only what the feed serves is listed: no RepositorySignatures (we do not sign, §8.4), no
 * OwnerDetailsUriTemplate (no owner pages), no LegacyGallery: the V2 feed (/api/v2) is a source URL
 * of its own, which no V3 client looks up here.
 */
export function serviceIndexDocument(links: FeedLinks): ServiceIndexDocument {
  const resources: ServiceResource[] = [];
  const add = (id: string, types: string[], extra: Partial<ServiceResource> = {}) => {
    for (const type of types) resources.push({ '@id': id, '@type': type, ...extra });
  };

  add(links.flatContainer, ['PackageBaseAddress/3.0.0']);
  add(links.packagePublish, ['PackagePublish/2.0.0']);
  add(links.symbolPackagePublish, ['SymbolPackagePublish/4.9.0']);
  // Hives (§4.8): legacy types promise no SemVer 2 versions; /3.4.0 and /3.6.0 are the gzip hives.
  add(
    links.hiveBase('semver1'),
    ['RegistrationsBaseUrl', 'RegistrationsBaseUrl/3.0.0-beta', 'RegistrationsBaseUrl/3.0.0-rc'],
    {
      comment: 'Registration hive, SemVer 1.0.0 packages only',
    },
  );
  add(links.hiveBase('semver1-gz'), ['RegistrationsBaseUrl/3.4.0'], {
    comment: 'Registration hive, gzip, SemVer 1.0.0 packages only',
  });
  add(links.hiveBase('semver2-gz'), ['RegistrationsBaseUrl/3.6.0'], {
    comment: 'Registration hive, gzip, includes SemVer 2.0.0 packages',
  });
  // nuget.org's clientVersion: clients older than 4.3 cannot read SemVer 2 versions.
  add(links.hiveBase('semver2-gz'), ['RegistrationsBaseUrl/Versioned'], { clientVersion: '4.3.0-alpha' });
  add(links.search, [
    'SearchQueryService',
    'SearchQueryService/Versioned',
    'SearchQueryService/3.0.0-beta',
    'SearchQueryService/3.0.0-rc',
    'SearchQueryService/3.4.0',
    'SearchQueryService/3.5.0',
  ]);
  add(links.autocomplete, [
    'SearchAutocompleteService',
    'SearchAutocompleteService/Versioned',
    'SearchAutocompleteService/3.0.0-beta',
    'SearchAutocompleteService/3.0.0-rc',
    'SearchAutocompleteService/3.5.0',
  ]);
  add(links.catalogIndex, ['Catalog/3.0.0']);
  add(links.readmeTemplate, ['ReadmeUriTemplate/6.13.0']);
  add(links.packageDetailsTemplate, ['PackageDetailsUriTemplate/5.1.0']);
  add(links.reportAbuseTemplate, [
    'ReportAbuseUriTemplate/3.0.0',
    'ReportAbuseUriTemplate/3.0.0-beta',
    'ReportAbuseUriTemplate/3.0.0-rc',
  ]);
  add(links.vulnerabilityIndex, ['VulnerabilityInfo/6.7.0']);

  return {
    version: '3.0.0',
    resources,
    '@context': {
      '@vocab': 'http://schema.nuget.org/services#',
      comment: 'http://www.w3.org/2000/01/rdf-schema#comment',
    },
  };
}
