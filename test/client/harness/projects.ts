/**
 * Tiny SDK-style projects written by hand (no `dotnet new`), targeting the SDK's own TFM so that
 * building them needs nothing from any feed, and `dotnet pack` of them.
 *
 * Packing happens in `<workspace>/pack`, whose NuGet.Config has no source but the pack output folder
 * (a library may depend on another library packed just before it): packing never touches the feed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeRun } from './dotnet';
import { writeBoundaryFiles, type Workspace } from './workspace';

export const TFM = 'net10.0';

export interface PackageRef {
  readonly id: string;
  /** A version or a range (`[1.0.0, 2.0.0)`); omitted = no Version attribute. */
  readonly version?: string;
}

export interface LibrarySpec {
  readonly id: string;
  readonly version: string;
  readonly description?: string;
  readonly tags?: readonly string[];
  /** Markdown packed as PackageReadmeFile README.md. */
  readonly readme?: string;
  readonly dependencies?: readonly PackageRef[];
}

const msbuildEscape = (text: string) => text.replace(/%/g, '%25').replace(/;/g, '%3B').replace(/,/g, '%2C');
const xmlText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const attr = (text: string) => xmlText(text).replace(/"/g, '&quot;');

function packageReferences(refs: readonly PackageRef[]): string {
  if (refs.length === 0) return '';
  const items = refs.map((r) =>
    r.version === undefined
      ? `    <PackageReference Include="${attr(r.id)}" />`
      : `    <PackageReference Include="${attr(r.id)}" Version="${attr(r.version)}" />`,
  );
  return `  <ItemGroup>\n${items.join('\n')}\n  </ItemGroup>\n`;
}

/** Writes `<dir>/<id>.csproj` and one source file; returns the project path. */
export function writeLibrary(dir: string, spec: LibrarySpec): string {
  mkdirSync(dir, { recursive: true });
  const props = [
    `<TargetFramework>${TFM}</TargetFramework>`,
    `<PackageId>${xmlText(spec.id)}</PackageId>`,
    `<Version>${xmlText(spec.version)}</Version>`,
    '<Authors>EdgeGet Client Tests</Authors>',
    `<Description>${xmlText(spec.description ?? `Test library ${spec.id}.`)}</Description>`,
    spec.tags ? `<PackageTags>${xmlText(spec.tags.join(';'))}</PackageTags>` : '',
    spec.readme !== undefined ? '<PackageReadmeFile>README.md</PackageReadmeFile>' : '',
    '<GenerateDocumentationFile>false</GenerateDocumentationFile>',
    '<NuGetAudit>false</NuGetAudit>',
  ].filter(Boolean);
  const readmeItem =
    spec.readme !== undefined
      ? '  <ItemGroup>\n    <None Include="README.md" Pack="true" PackagePath="/" />\n  </ItemGroup>\n'
      : '';
  const csproj = `<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    ${props.join('\n    ')}
  </PropertyGroup>
${readmeItem}${packageReferences(spec.dependencies ?? [])}</Project>
`;
  const path = join(dir, `${spec.id}.csproj`);
  writeFileSync(path, csproj);
  if (spec.readme !== undefined) writeFileSync(join(dir, 'README.md'), spec.readme);
  const ns = spec.id.replace(/[^A-Za-z0-9.]/g, '_');
  writeFileSync(
    join(dir, 'Library.cs'),
    `namespace ${ns};\n\npublic static class Library\n{\n    public static string Name => "${spec.id}";\n}\n`,
  );
  return path;
}

/** A classlib that only consumes packages (what restore / add package / list package run on). */
export function writeConsumer(dir: string, refs: readonly PackageRef[] = [], extraProps = ''): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'Consumer.csproj');
  writeFileSync(
    path,
    `<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>${TFM}</TargetFramework>
    <IsPackable>false</IsPackable>
    ${extraProps}
  </PropertyGroup>
${packageReferences(refs)}</Project>
`,
  );
  writeFileSync(join(dir, 'Consumer.cs'), 'namespace Consumer;\n\npublic static class Use { }\n');
  return path;
}

export interface Packer {
  /** Folder holding every .nupkg packed so far. */
  readonly out: string;
  /**
   * Packs the library (building it once); each extra version is packed from the same build with
   * `--no-build -p:PackageVersion=…`. Returns the .nupkg paths, spec.version first.
   */
  pack(spec: LibrarySpec, extraVersions?: readonly string[]): Promise<string[]>;
  /**
   * Packs another package (own id, version, description, tags) from the build of a library packed
   * earlier, without building again: many distinct packages for the price of one build.
   */
  variant(builtId: string, spec: Omit<LibrarySpec, 'readme' | 'dependencies'>): Promise<string>;
}

export function createPacker(ws: Workspace): Packer {
  const root = join(ws.root, 'pack');
  const out = join(root, 'out');
  const packages = join(root, 'nuget-packages');
  mkdirSync(out, { recursive: true });
  writeBoundaryFiles(root);
  writeFileSync(
    join(root, 'NuGet.Config'),
    `<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="pack-output" value="${attr(out)}" />
  </packageSources>
</configuration>
`,
  );
  const packOnce = async (args: string[], cwd: string): Promise<string> => {
    const result = await ws.run(['pack', ...args, '-c', 'Release', '-o', out, '--disable-build-servers'], {
      cwd,
      packages,
    });
    const created = /Successfully created package '([^']+\.nupkg)'/.exec(result.stdout);
    if (result.code !== 0 || !created?.[1]) throw new Error(`pack failed: ${describeRun(result)}`);
    return created[1];
  };
  return {
    out,
    async pack(spec, extraVersions = []) {
      const dir = join(root, 'src', spec.id);
      const project = writeLibrary(dir, spec);
      const files = [await packOnce([project], dir)];
      for (const version of extraVersions) {
        files.push(await packOnce([project, '--no-build', `-p:PackageVersion=${version}`], dir));
      }
      return files;
    },
    async variant(builtId, spec) {
      const dir = join(root, 'src', builtId);
      const props = [`-p:PackageId=${spec.id}`, `-p:PackageVersion=${spec.version}`];
      // MSBuild reads ';' as a property separator on the command line: escape it.
      if (spec.description) props.push(`-p:Description=${msbuildEscape(spec.description)}`);
      if (spec.tags) props.push(`-p:PackageTags=${msbuildEscape(spec.tags.join(';'))}`);
      return packOnce([join(dir, `${builtId}.csproj`), '--no-build', ...props], dir);
    },
  };
}
