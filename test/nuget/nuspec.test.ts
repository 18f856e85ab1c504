import { strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { isFailure } from '../../src/problems';
import { MAX_NUSPEC_BYTES, parseManifest, type ManifestOptions } from '../../src/nuget/nuspec';
import type { PackageManifest } from '../../src/nuget/types';
import { nuspecXml, type NupkgSpec } from '../support/nupkg';

function ok(xml: string | Uint8Array, options?: ManifestOptions): PackageManifest {
  const result = parseManifest(typeof xml === 'string' ? strToU8(xml) : xml, options);
  if (isFailure(result)) throw new Error(`expected a manifest, got: ${result.message}`);
  return result;
}

function problem(xml: string | Uint8Array, options?: ManifestOptions): string {
  const result = parseManifest(typeof xml === 'string' ? strToU8(xml) : xml, options);
  if (!isFailure(result)) throw new Error(`expected a failure for ${String(xml).slice(0, 200)}`);
  expect(result.failure).toBe('badRequest');
  return result.message;
}

const spec = (metadata = '', overrides: Partial<NupkgSpec> = {}): string =>
  nuspecXml({ id: 'Contoso.Utils', version: '1.0', metadata, ...overrides });

const bare = (inner: string): string => `<?xml version="1.0"?><package><metadata>${inner}</metadata></package>`;

describe('parseManifest: reading fields', () => {
  it('reads the required fields and derives the version strings', () => {
    const m = ok(spec());
    expect(m).toMatchObject({
      id: 'Contoso.Utils',
      originalVersion: '1.0',
      version: '1.0.0',
      lowerVersion: '1.0.0',
      isPrerelease: false,
      isSemVer2: false,
      authors: 'EdgeGet Tests',
      description: 'Test package Contoso.Utils.',
      title: '',
      tags: '',
      licenseExpression: '',
      iconFile: '',
      readmeFile: '',
      minClientVersion: '',
      requireLicenseAcceptance: false,
      developmentDependency: false,
      packageTypes: [],
      dependencyGroups: [],
    });
  });

  it('reads every optional field', () => {
    const m = ok(
      spec(`
    <title>Contoso Utilities</title>
    <summary>Short.</summary>
    <tags>  json, http
      tools  </tags>
    <projectUrl>https://contoso.example/utils</projectUrl>
    <iconUrl>http://contoso.example/icon.png</iconUrl>
    <licenseUrl>https://licenses.nuget.org/MIT</licenseUrl>
    <license type="expression">MIT OR Apache-2.0</license>
    <icon>images\\icon.png</icon>
    <readme>docs/README.md</readme>
    <releaseNotes><![CDATA[Fixed <things> & stuff.]]></releaseNotes>
    <copyright>&#169; Contoso &amp; friends</copyright>
    <language>en-US</language>
    <requireLicenseAcceptance>true</requireLicenseAcceptance>
    <developmentDependency>1</developmentDependency>
    <serviceable>true</serviceable>
    <repository type="git" url="https://github.com/contoso/utils" />
    <packageTypes><packageType name="DotnetTool" /><packageType name="Custom" version="1.2" /></packageTypes>`),
    );
    expect(m).toMatchObject({
      title: 'Contoso Utilities',
      summary: 'Short.',
      tags: 'json http tools',
      projectUrl: 'https://contoso.example/utils',
      iconUrl: 'http://contoso.example/icon.png',
      licenseUrl: 'https://licenses.nuget.org/MIT',
      licenseExpression: 'MIT OR Apache-2.0',
      licenseFile: '',
      iconFile: 'images\\icon.png',
      readmeFile: 'docs/README.md',
      releaseNotes: 'Fixed <things> & stuff.',
      copyright: '© Contoso & friends',
      language: 'en-US',
      requireLicenseAcceptance: true,
      developmentDependency: true,
      packageTypes: [{ name: 'DotnetTool' }, { name: 'Custom', version: '1.2' }],
    });
  });

  it('reads a license file and minClientVersion', () => {
    const xml = spec('<license type="file" version="1.0.0">LICENSE.txt</license>').replace(
      '<metadata>',
      '<metadata minClientVersion="5.3">',
    );
    expect(ok(xml)).toMatchObject({ licenseFile: 'LICENSE.txt', licenseExpression: '', minClientVersion: '5.3' });
  });

  it('keeps numeric-looking text as text (no number coercion)', () => {
    const m = ok(spec('<title>1.10</title>', { id: '0123', version: '1.10' }));
    expect(m).toMatchObject({ id: '0123', originalVersion: '1.10', version: '1.10.0', title: '1.10' });
  });

  it('classifies prerelease and SemVer 2 versions (§9.5)', () => {
    expect(ok(spec('', { version: '1.0.0-beta' }))).toMatchObject({ isPrerelease: true, isSemVer2: false });
    expect(ok(spec('', { version: '1.0.0-beta.2' }))).toMatchObject({ isPrerelease: true, isSemVer2: true });
    expect(ok(spec('', { version: '1.0.0.0+Build.7' }))).toMatchObject({
      originalVersion: '1.0.0.0+Build.7',
      version: '1.0.0+Build.7',
      lowerVersion: '1.0.0',
      isSemVer2: true,
    });
    expect(ok(spec('', { version: '2.0.1-RC' })).lowerVersion).toBe('2.0.1-rc');
    const semver2Dependency = spec('<dependencies><dependency id="A" version="[1.0.0-alpha.1, 2.0)" /></dependencies>');
    expect(ok(semver2Dependency).isSemVer2).toBe(true);
  });

  it('reads dependency groups with normalized ranges (§9.4)', () => {
    const m = ok(
      spec(`<dependencies>
      <group targetFramework=".NETStandard2.0">
        <dependency id="Newtonsoft.Json" version="13.0.1" exclude="Build,Analyzers" />
        <dependency id="System.Memory" version="[4.5, 5.0)" />
        <dependency id="Any.Version" />
      </group>
      <group targetFramework="net8.0" />
      <group>
        <dependency id="Exact" version="[1.0]" />
      </group>
    </dependencies>`),
    );
    expect(m.dependencyGroups).toEqual([
      {
        targetFramework: '.NETStandard2.0',
        dependencies: [
          { id: 'Newtonsoft.Json', range: '[13.0.1, )' },
          { id: 'System.Memory', range: '[4.5.0, 5.0.0)' },
          { id: 'Any.Version', range: '' },
        ],
      },
      { targetFramework: 'net8.0', dependencies: [] },
      { dependencies: [{ id: 'Exact', range: '[1.0.0, 1.0.0]' }] },
    ]);
    expect('targetFramework' in m.dependencyGroups[2]!).toBe(false);
  });

  it('reads a flat dependency list as one framework-agnostic group, and an empty targetFramework as none', () => {
    const flat = ok(spec('<dependencies><dependency id="A" version="(,2.0)" /></dependencies>'));
    expect(flat.dependencyGroups).toEqual([{ dependencies: [{ id: 'A', range: '(, 2.0.0)' }] }]);
    const empty = ok(spec('<dependencies><group targetFramework=""><dependency id="A" /></group></dependencies>'));
    expect(empty.dependencyGroups).toEqual([{ dependencies: [{ id: 'A', range: '' }] }]);
    expect(ok(spec('<dependencies />')).dependencyGroups).toEqual([]);
  });

  it('ignores the namespace, whichever schema version or prefix', () => {
    const xml = `<?xml version="1.0" encoding="utf-8"?>
<nu:package xmlns:nu="http://schemas.microsoft.com/packaging/2010/07/nuspec.xsd"><nu:metadata>
<nu:id>A</nu:id><nu:version>1.0.0</nu:version><nu:authors>me</nu:authors><nu:description>d</nu:description>
</nu:metadata></nu:package>`;
    expect(ok(xml).id).toBe('A');
    expect(ok(bare('<id>A</id><version>1.0.0</version><authors>me</authors><description>d</description>')).id).toBe(
      'A',
    );
  });

  it('decodes a UTF-8 BOM and UTF-16 with a BOM', () => {
    const text = spec('<title>Ünïcode ✓</title>').replace('encoding="utf-8"', 'encoding="utf-16"');
    const utf8 = new Uint8Array([0xef, 0xbb, 0xbf, ...strToU8(text)]);
    expect(ok(utf8).title).toBe('Ünïcode ✓');
    const [le, be] = [
      [0xff, 0xfe],
      [0xfe, 0xff],
    ];
    for (let i = 0; i < text.length; i++) {
      const unit = text.charCodeAt(i);
      le.push(unit & 0xff, unit >> 8);
      be.push(unit >> 8, unit & 0xff);
    }
    expect(ok(new Uint8Array(le)).title).toBe('Ünïcode ✓');
    expect(ok(new Uint8Array(be)).title).toBe('Ünïcode ✓');
  });
});

describe('parseManifest: symbol packages (§2.6)', () => {
  const symbols = bare(
    '<id>Contoso.Utils</id><version>1.0.0</version><description>d</description>' +
      '<packageTypes><packageType name="SymbolsPackage" /></packageTypes>',
  );

  it('refuses the SymbolsPackage type on a package push', () => {
    expect(problem(symbols)).toMatch(/symbol package.*SymbolsPackage.*symbol package endpoint/);
    expect(problem(spec('<packageTypes><packageType name="symbolspackage" /></packageTypes>'))).toMatch(/symbol/);
  });

  it('accepts it on a symbol push, without authors', () => {
    expect(ok(symbols, { symbolPackage: true })).toMatchObject({
      id: 'Contoso.Utils',
      authors: '',
      packageTypes: [{ name: 'SymbolsPackage' }],
    });
  });

  it('requires it on a symbol push', () => {
    expect(problem(spec(), { symbolPackage: true })).toMatch(/must declare the SymbolsPackage package type/);
  });
});

describe('parseManifest: hostile XML', () => {
  it('refuses any DOCTYPE: entities, billion laughs, XXE', () => {
    const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>
<package><metadata><id>A</id><version>1.0</version><authors>&lol2;</authors><description>d</description></metadata></package>`;
    expect(problem(laughs)).toBe('The nuspec must not contain a DOCTYPE or ENTITY declaration.');
    const xxe = `<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]><package><metadata><id>&x;</id></metadata></package>`;
    expect(problem(xxe)).toMatch(/DOCTYPE/);
    expect(problem('<!doctype package><package/>')).toMatch(/DOCTYPE/);
  });

  it('refuses a nuspec over 1 MiB before parsing it', () => {
    const big = spec(`<releaseNotes>${'x'.repeat(MAX_NUSPEC_BYTES)}</releaseNotes>`);
    expect(problem(big)).toMatch(/larger than 1048576 bytes/);
  });

  it('refuses malformed XML, non-XML and bad encodings', () => {
    expect(problem(spec().replace('</metadata>', '</metdata>'))).toMatch(/not valid XML/);
    expect(problem('just some text')).toMatch(/not valid XML/);
    expect(problem('')).toMatch(/not valid XML/);
    expect(problem(new Uint8Array([0x3c, 0x61, 0x3e, 0xc3, 0x28, 0x3c, 0x2f, 0x61, 0x3e]))).toMatch(/UTF-8/);
    expect(problem(`<a>${'<b>'.repeat(100_000)}</a>`)).toMatch(/not valid XML/);
    expect(problem(bare('<id>A</id><constructor>x</constructor>'))).toMatch(/not valid XML/);
  });

  it('refuses a wrong root or missing metadata', () => {
    expect(problem('<nuspec><metadata><id>A</id></metadata></nuspec>')).toBe(
      "The nuspec's root element must be <package>.",
    );
    expect(problem('<package><files /></package>')).toBe('The nuspec must have exactly one <metadata> element.');
    expect(problem('<package><metadata /><metadata /></package>')).toMatch(/exactly one <metadata>/);
  });
});

describe('parseManifest: manifest validation (§10.3)', () => {
  const required = {
    id: '<id>A</id>',
    version: '<version>1.0</version>',
    authors: '<authors>me</authors>',
    description: '<description>d</description>',
  };

  it.each(Object.keys(required))('names a missing <%s>', (field) => {
    const parts = Object.entries(required)
      .filter(([name]) => name !== field)
      .map(([, xml]) => xml);
    expect(problem(bare(parts.join('')))).toBe(`The nuspec is missing the required <${field}> element.`);
    const empty = Object.entries(required).map(([name, xml]) => (name === field ? `<${field}>  </${field}>` : xml));
    expect(problem(bare(empty.join('')))).toBe(`The nuspec is missing the required <${field}> element.`);
  });

  it('refuses invalid ids', () => {
    expect(problem(spec('', { id: 'bad id' }))).toMatch(/package id 'bad id' is not valid/);
    expect(problem(spec('', { id: 'a'.repeat(101) }))).toMatch(/must not exceed 100 characters/);
    expect(problem(spec('', { id: '$id$' }))).toMatch(/template token/);
    expect(problem(spec('', { id: 'Ünïcode' }))).toMatch(/not valid/);
  });

  it('refuses invalid versions', () => {
    expect(problem(spec('', { version: '1.0.0-' }))).toBe("'1.0.0-' is not a valid NuGet version.");
    expect(problem(spec('', { version: 'banana' }))).toBe("'banana' is not a valid NuGet version.");
    expect(problem(spec('', { version: `1.0.0-${'a'.repeat(60)}` }))).toMatch(/<version> is longer than 64/);
    const xml = spec().replace('<metadata>', '<metadata minClientVersion="x.y">');
    expect(problem(xml)).toMatch(/minClientVersion 'x.y' is not a valid version/);
  });

  it('refuses bad dependencies', () => {
    const deps = (inner: string) => spec(`<dependencies>${inner}</dependencies>`);
    expect(problem(deps('<dependency id="A" version="1.*" />'))).toMatch(/floating ranges are not allowed in a nuspec/);
    expect(problem(deps('<dependency id="A" version="[1.0" />'))).toBe(
      "The dependency 'A' has an invalid version range '[1.0'.",
    );
    expect(problem(deps('<dependency id="A" version="(1.0)" />'))).toMatch(/invalid version range/);
    expect(problem(deps('<dependency id="A" version="[1.0.0+meta, )" />'))).toMatch(/build metadata/);
    expect(problem(deps('<dependency id="bad id" />'))).toMatch(/dependency id 'bad id' is not a valid package id/);
    expect(problem(deps(`<dependency id="${'a'.repeat(129)}" />`))).toMatch(/not a valid package id/);
    expect(problem(deps('<dependency version="1.0" />'))).toBe('A dependency in the nuspec has no id.');
    expect(problem(deps('<dependency id="A" /><dependency id="a" />'))).toMatch(/'a' is listed more than once/);
    expect(problem(deps('<group targetFramework="net8.0" /><group targetFramework="NET8.0" />'))).toMatch(
      /more than one dependency group for 'NET8.0'/,
    );
    expect(problem(deps('<group /><group />'))).toMatch(/more than one dependency group without a targetFramework/);
    expect(ok(deps(`<dependency id="${'a'.repeat(128)}" />`)).dependencyGroups).toHaveLength(1);
  });

  it('refuses bad URLs, booleans, licenses, icons and readmes', () => {
    expect(problem(spec('<projectUrl>ftp://x.example/</projectUrl>'))).toMatch(/<projectUrl> 'ftp:.*absolute http/);
    expect(problem(spec('<iconUrl>/relative/icon.png</iconUrl>'))).toMatch(/<iconUrl>/);
    expect(problem(spec('<requireLicenseAcceptance>yes</requireLicenseAcceptance>'))).toMatch(/true or false/);
    expect(problem(spec('<license type="url">x</license>'))).toMatch(/'expression' or 'file'/);
    expect(problem(spec('<license type="expression" version="2.0.0">MIT</license>'))).toMatch(/only 1.0.0/);
    expect(problem(spec('<license type="expression" />'))).toMatch(/<license> element is empty/);
    expect(problem(spec('<license type="expression">MIT; rm -rf</license>'))).toMatch(/not a valid license expression/);
    expect(problem(spec('<license type="file">LICENSE.pdf</license>'))).toMatch(/no extension, .txt or .md/);
    expect(ok(spec('<license type="file">LICENSE</license>')).licenseFile).toBe('LICENSE');
    expect(problem(spec('<icon>icon.gif</icon>'))).toBe("The icon file 'icon.gif' must be .png, .jpg, .jpeg.");
    expect(problem(spec('<readme>readme.txt</readme>'))).toBe("The readme file 'readme.txt' must be .md.");
  });

  it('refuses over-long fields, duplicated elements and bad package types', () => {
    expect(problem(spec(`<title>${'t'.repeat(257)}</title>`))).toBe(
      "The nuspec's <title> is longer than 256 characters.",
    );
    expect(problem(spec(`<language>${'l'.repeat(21)}</language>`))).toMatch(/<language> is longer than 20/);
    expect(ok(spec(`<releaseNotes>${'r'.repeat(35_000)}</releaseNotes>`)).releaseNotes).toHaveLength(35_000);
    expect(problem(spec('<title>a</title><title>b</title>'))).toBe('The nuspec has more than one <title> element.');
    expect(problem(spec('', { id: 'A' }).replace('<id>A</id>', '<id>A</id><id>B</id>'))).toMatch(/more than one <id>/);
    expect(problem(spec('<packageTypes><packageType /></packageTypes>'))).toMatch(/not a valid package type name/);
    expect(problem(spec('<packageTypes><packageType name="T" version="1.0-beta" /></packageTypes>'))).toMatch(
      /invalid version '1.0-beta'/,
    );
  });
});
