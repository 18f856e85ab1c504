import { describe, expect, it } from 'vitest';
import type { PackageManifest } from '../../src/nuget/types';
import { listingRecord, versionRecord } from '../../src/nuget/versionRecord';
import { versionRecord as storedRecord } from '../support/records';

const manifest: PackageManifest = {
  ...storedRecord('Contoso.Record', '1.0.0'),
  iconFile: 'icon.png',
  readmeFile: 'README.md',
  licenseFile: 'LICENSE.txt',
};
const files = {
  nuspec: new Uint8Array(),
  readme: new Uint8Array([35]),
  icon: { bytes: new Uint8Array(), contentType: 'image/png' },
};

describe('versionRecord: the row a push stores', () => {
  it('keeps the nuspec metadata, drops the file paths and adds what only the server knows', () => {
    const now = new Date('2026-03-04T05:06:07.000Z');
    const record = versionRecord({ manifest, files }, { size: 1234, sha512: 'HASH' }, now);
    expect(record).toMatchObject({
      id: 'Contoso.Record',
      lowerId: 'contoso.record',
      listed: true,
      created: now.toISOString(),
      published: now.toISOString(),
      packageHash: 'HASH',
      packageSize: 1234,
      hasReadme: true,
      iconContentType: 'image/png',
      downloads: 0,
    });
    expect(record).not.toHaveProperty('iconFile');
    expect(record).not.toHaveProperty('readmeFile');
    expect(record).not.toHaveProperty('licenseFile');
  });

  it('records no readme and no icon when the package embeds none', () => {
    const record = versionRecord(
      { manifest, files: { ...files, readme: null, icon: null } },
      { size: 1, sha512: 'H' },
      new Date(),
    );
    expect(record.hasReadme).toBe(false);
    expect(record.iconContentType).toBe('');
  });
});

describe('listingRecord: unlist and relist (protocol §2.5)', () => {
  const now = new Date('2026-05-01T00:00:00.000Z');
  const listed = storedRecord('Contoso.Record', '1.0.0');

  it('unlisting keeps published', () => {
    expect(listingRecord(listed, false, now)).toEqual({ ...listed, listed: false, lastEdited: now.toISOString() });
  });

  it('relisting an unlisted version moves published to now; relisting a listed one does not', () => {
    expect(listingRecord({ ...listed, listed: false }, true, now)).toEqual({
      ...listed,
      published: now.toISOString(),
      lastEdited: now.toISOString(),
    });
    expect(listingRecord(listed, true, now)).toEqual(listed);
  });
});
