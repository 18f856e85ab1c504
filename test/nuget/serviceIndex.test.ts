import { describe, expect, it } from 'vitest';
import { feedLinks } from '../../src/links';
import { serviceIndexDocument } from '../../src/nuget/serviceIndex';

describe('serviceIndexDocument', () => {
  const doc = serviceIndexDocument(feedLinks('https://pkgs.example.dev'));
  const typesAt = (type: string) => doc.resources.filter((r) => r['@type'] === type).map((r) => r['@id']);

  it('advertises every type string the official client looks up (protocol §1.2)', () => {
    for (const type of [
      'PackageBaseAddress/3.0.0',
      'PackagePublish/2.0.0',
      'SearchQueryService/Versioned',
      'SearchQueryService/3.4.0',
      'SearchQueryService/3.0.0-beta',
      'SearchQueryService/3.5.0',
      'SearchAutocompleteService/3.0.0-beta',
      'RegistrationsBaseUrl/Versioned',
      'RegistrationsBaseUrl/3.6.0',
      'RegistrationsBaseUrl/3.4.0',
      'RegistrationsBaseUrl',
      'ReadmeUriTemplate/6.13.0',
      'PackageDetailsUriTemplate/5.1.0',
      'ReportAbuseUriTemplate/3.0.0',
    ]) {
      expect(typesAt(type), type).toHaveLength(1);
    }
  });

  it('keeps SemVer 2 packages out of the legacy hives', () => {
    const semver2Hive = typesAt('RegistrationsBaseUrl/3.6.0')[0];
    for (const legacy of ['RegistrationsBaseUrl', 'RegistrationsBaseUrl/3.0.0-rc', 'RegistrationsBaseUrl/3.4.0']) {
      expect(typesAt(legacy)[0]).not.toBe(semver2Hive);
    }
    expect(doc.resources.find((r) => r['@type'] === 'RegistrationsBaseUrl/Versioned')?.clientVersion).toBe(
      '4.3.0-alpha',
    );
  });

  it('emits only absolute URLs and version 3.0.0', () => {
    expect(doc.version).toBe('3.0.0');
    for (const r of doc.resources) expect(r['@id']).toMatch(/^https:\/\/pkgs\.example\.dev\//);
  });

  it('does not advertise what is not served', () => {
    const types = doc.resources.map((r) => r['@type']);
    expect(types.some((t) => t.startsWith('RepositorySignatures'))).toBe(false);
    expect(types.some((t) => t.startsWith('LegacyGallery'))).toBe(false);
    expect(types.some((t) => t.startsWith('OwnerDetailsUriTemplate'))).toBe(false);
  });
});
