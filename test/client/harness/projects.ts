/**
 * Tiny SDK-style projects written by hand (no `dotnet new`), targeting the SDK's own TFM so that
 * building them needs nothing from any feed, and `dotnet pack` of them.
 *
 * Packing happens in `<workspace>/pack`, whose NuGet.Config has no source but the pack output folder
 * (a library may depend on another library packed just before it): packing never touches the feed.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nupkgVariant, type VariantSpec } from '../../../devkit/nupkg.mjs';
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
   * Packs the library with `dotnet pack` (one build); each extra version is that package with its
   * nuspec's version rewritten (devkit nupkgVariant), as `--no-build -p:PackageVersion=…` would write
   * it. Returns the .nupkg paths, spec.version first.
   */
  pack(spec: LibrarySpec, extraVersions?: readonly string[]): Promise<string[]>;
  /**
   * Another package (own id, version, description, tags) from the package of a library packed
   * earlier: many distinct packages for the price of one build.
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
  /** The package `dotnet pack` wrote for each library id. */
  const packed = new Map<string, string>();
  const derive = (builtId: string, spec: VariantSpec): string => {
    const from = packed.get(builtId);
    if (!from) throw new Error(`${builtId} has not been packed yet`);
    const { fileName, bytes } = nupkgVariant(readFileSync(from), spec);
    const path = join(out, fileName);
    writeFileSync(path, bytes);
    return path;
  };
  return {
    out,
    async pack(spec, extraVersions = []) {
      const dir = join(root, 'src', spec.id);
      const project = writeLibrary(dir, spec);
      const result = await ws.run(['pack', project, '-c', 'Release', '-o', out, '--disable-build-servers'], {
        cwd: dir,
        packages,
      });
      const created = /Successfully created package '([^']+\.nupkg)'/.exec(result.stdout);
      if (result.code !== 0 || !created?.[1]) throw new Error(`pack failed: ${describeRun(result)}`);
      packed.set(spec.id, created[1]);
      return [created[1], ...extraVersions.map((version) => derive(spec.id, { id: spec.id, version }))];
    },
    async variant(builtId, spec) {
      return derive(builtId, spec);
    },
  };
}
