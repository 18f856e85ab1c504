import { readdirSync, readFileSync } from 'node:fs';
import { strFromU8, strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { isFailure } from '../../src/problems';
import {
  MAX_ICON_BYTES,
  MAX_LICENSE_FILE_BYTES,
  MAX_NUSPEC_BYTES,
  MAX_README_BYTES,
  parseManifest,
} from '../../src/nuget/nuspec';
import {
  findPackageFile,
  isPortablePdb,
  notPortablePdb,
  packageEntries,
  symbolPackagePdbs,
  type PackageEntries,
} from '../../src/nuget/packageEntries';
import { listZipEntries, readZipEntry } from '../../src/nuget/zip';
import type { ZipEntry } from '../../src/nuget/zipEntry';
import { buildNupkg } from '../support/nupkg';
import { bufferReader } from './craftZip';

const named = (...names: string[]): ZipEntry[] =>
  names.map((name, i) => ({
    name,
    method: 0,
    flags: 0,
    crc32: 0,
    compressedSize: 0,
    uncompressedSize: 0,
    localHeaderOffset: i * 100,
    dataLimit: i * 100 + 100,
  }));

function pkg(...names: string[]): PackageEntries {
  const result = packageEntries(named(...names));
  if (isFailure(result)) throw new Error(result.message);
  return result;
}

function problem(...names: string[]): string {
  const result = packageEntries(named(...names));
  if (!isFailure(result)) throw new Error(`expected a failure for ${names.join(', ')}`);
  expect(result.failure).toBe('badRequest');
  return result.message;
}

describe('packageEntries: the container rules of §10.3', () => {
  it('finds the one root .nuspec, whatever the extension casing', () => {
    expect(pkg('[Content_Types].xml', 'Foo.NUSPEC', 'lib/net8.0/Foo.dll').nuspec.name).toBe('Foo.NUSPEC');
  });

  it('treats a nuspec in a subfolder as none', () => {
    expect(problem('content/Foo.nuspec', 'lib/a.dll')).toBe('The package contains no .nuspec file at its root.');
    expect(pkg('a.nuspec', 'content/b.nuspec').nuspec.name).toBe('a.nuspec');
  });

  it('refuses two root nuspecs', () => {
    expect(problem('a.nuspec', 'b.nuspec')).toBe('The package contains more than one .nuspec file at its root.');
  });

  it('refuses paths that escape the root, are absolute, or use backslashes or //', () => {
    expect(problem('a.nuspec', '../evil.dll')).toMatch(/escapes the package root/);
    expect(problem('a.nuspec', 'lib/../../evil.dll')).toMatch(/escapes the package root/);
    expect(problem('a.nuspec', '/etc/passwd')).toMatch(/absolute path/);
    expect(problem('a.nuspec', 'C:/evil.dll')).toMatch(/absolute path/);
    expect(problem('a.nuspec', '\\evil.dll')).toMatch(/'\\'/);
    expect(problem('a.nuspec', 'lib\\net8.0\\a.dll')).toMatch(/'\\'/);
    expect(problem('a.nuspec', 'lib//a.dll')).toMatch(/'\/\/'/);
    expect(problem('a.nuspec', '')).toMatch(/empty or invalid name/);
    expect(pkg('a.nuspec', 'lib/', 'lib/..a.dll', 'lib/a..b/c.dll').entries).toHaveLength(4);
  });

  it('refuses duplicate names, case-insensitively', () => {
    expect(problem('a.nuspec', 'lib/A.dll', 'lib/a.dll')).toBe("The package contains 'lib/a.dll' more than once.");
  });
});

describe('findPackageFile: paths the nuspec names', () => {
  const files = pkg('a.nuspec', 'images/Icon.png', 'docs/README.md', 'LICENSE.txt', 'docs/my%20notes.md');

  it('matches with either separator, a leading separator, and any casing', () => {
    expect(findPackageFile(files, 'images\\icon.PNG')?.name).toBe('images/Icon.png');
    expect(findPackageFile(files, '/docs/readme.md')?.name).toBe('docs/README.md');
    expect(findPackageFile(files, 'license.txt')?.name).toBe('LICENSE.txt');
    expect(findPackageFile(files, 'docs/my notes.md')?.name).toBe('docs/my%20notes.md');
  });

  it('finds nothing for missing files or folders', () => {
    expect(findPackageFile(files, 'images/other.png')).toBeNull();
    expect(findPackageFile(files, 'images/')).toBeNull();
    expect(findPackageFile(files, '')).toBeNull();
  });
});

describe('symbol packages (§2.6)', () => {
  it('returns the PDBs of a symbol package with only allowed file types', () => {
    const symbols = pkg(
      'a.nuspec',
      '[Content_Types].xml',
      '_rels/.rels',
      'package/services/metadata/core-properties/x.psmdcp',
      '.signature.p7s',
      'lib/net8.0/A.pdb',
      'lib/net8.0/A.xml',
      'lib/net8.0/',
    );
    const pdbs = symbolPackagePdbs(symbols);
    expect(isFailure(pdbs) ? pdbs.message : pdbs.map((e) => e.name)).toEqual(['lib/net8.0/A.pdb']);
  });

  it('refuses other file types', () => {
    const result = symbolPackagePdbs(pkg('a.nuspec', 'lib/net8.0/A.pdb', 'lib/net8.0/A.dll'));
    expect(isFailure(result) && result.message).toMatch(
      /contains 'lib\/net8.0\/A.dll', which is not an allowed file type/,
    );
    expect(isFailure(symbolPackagePdbs(pkg('a.nuspec', 'LICENSE')))).toBe(true);
  });

  it('recognises Portable PDBs by their BSJB signature', () => {
    expect(isPortablePdb(strToU8('BSJB\x01\x00\x01\x00'))).toBe(true);
    expect(isPortablePdb(strToU8('Microsoft C/C++ MSF 7.00\r\n'))).toBe(false);
    expect(isPortablePdb(strToU8('BSJ'))).toBe(false);
    expect(isPortablePdb(new Uint8Array(0))).toBe(false);
    expect(notPortablePdb(named('lib/A.pdb')[0]!).message).toMatch(/'lib\/A.pdb' is not a Portable PDB/);
  });
});

/** The whole read path a push runs: list, check names, read and parse the nuspec, find the files it names. */
async function readPackage(bytes: Uint8Array) {
  const reader = bufferReader(bytes);
  const entries = await listZipEntries(reader.read, bytes.length);
  if (isFailure(entries)) return entries;
  const files = packageEntries(entries);
  if (isFailure(files)) return files;
  const nuspec = await readZipEntry(reader.read, files.nuspec, MAX_NUSPEC_BYTES);
  if (isFailure(nuspec)) return nuspec;
  const manifest = parseManifest(nuspec);
  return isFailure(manifest) ? manifest : { manifest, files, reader };
}

describe('reading real packages', () => {
  const root = '/opt/nuget/packages';
  const packages: [string, string, string][] = (readdirSync(root) as string[]).flatMap((id) =>
    (readdirSync(`${root}/${id}`) as string[]).map((version): [string, string, string] => [
      id,
      version,
      `${root}/${id}/${version}/${id}.${version}.nupkg`,
    ]),
  );

  it('has packages to read', () => {
    expect(packages.length).toBeGreaterThanOrEqual(10);
  });

  it.each(packages)('%s %s lists, parses and matches its folder', async (id, version, path) => {
    const bytes = new Uint8Array(readFileSync(path));
    const result = await readPackage(bytes);
    if (isFailure(result)) throw new Error(result.message);
    const { manifest, files, reader } = result;
    expect(manifest.id.toLowerCase()).toBe(id);
    expect(manifest.lowerVersion).toBe(version);
    expect(files.entries.some((e) => e.name === '.signature.p7s')).toBe(true);
    for (const [path, cap] of [
      [manifest.readmeFile, MAX_README_BYTES],
      [manifest.iconFile, MAX_ICON_BYTES],
      [manifest.licenseFile, MAX_LICENSE_FILE_BYTES],
    ] as const) {
      if (path === '') continue;
      const entry = findPackageFile(files, path);
      expect(entry, path).not.toBeNull();
      const content = await readZipEntry(reader.read, entry!, cap);
      expect(isFailure(content)).toBe(false);
    }
  });
});

describe('reading built packages end to end', () => {
  it('reads a package with a readme and icon named with backslashes', async () => {
    const bytes = buildNupkg({
      id: 'Contoso.Readme',
      version: '2.0.0-beta.1',
      metadata: '<readme>docs\\README.md</readme><icon>images\\icon.png</icon>',
      files: { 'docs/README.md': '# Contoso', 'images/icon.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47]) },
    });
    const result = await readPackage(bytes);
    if (isFailure(result)) throw new Error(result.message);
    expect(result.manifest).toMatchObject({ id: 'Contoso.Readme', version: '2.0.0-beta.1', isSemVer2: true });
    const readme = findPackageFile(result.files, result.manifest.readmeFile)!;
    expect(strFromU8((await readZipEntry(result.reader.read, readme, MAX_README_BYTES)) as Uint8Array)).toBe(
      '# Contoso',
    );
  });

  it('fails with the nuspec message when the root nuspec is missing', async () => {
    const bytes = zipSync({ 'content/x.nuspec': strToU8('<package/>') });
    const result = await readPackage(bytes);
    expect(isFailure(result) && result.message).toBe('The package contains no .nuspec file at its root.');
  });
});
