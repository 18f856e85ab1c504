/**
 * The install lines a package page offers, one per tool, each copied with one click. They name
 * the version a user types (no build metadata). Restore finds the package once this feed is a
 * source (the home page shows how); the Cake and PSResourceGet lines name the feed themselves,
 * since those tools do not read NuGet.Config for a source by default.
 */
import type { PackageType } from '../nuget/types';
import { declaresPackageType } from '../nuget/search';

export interface InstallSnippet {
  /** Stable, id-safe key (tab and panel ids). */
  key: string;
  label: string;
  code: string;
  /** Where the line goes, when that is not obvious. */
  note?: string;
}

export interface InstallTarget {
  id: string;
  version: string;
  packageTypes: readonly PackageType[];
  /** The feed's service index: the source URL. */
  source: string;
  /** The repository name PSResourceGet knows the feed by. */
  repositoryName: string;
}

function toolSnippets(t: InstallTarget): InstallSnippet[] {
  const snippets: InstallSnippet[] = [];
  if (declaresPackageType(t.packageTypes, 'DotnetTool')) {
    snippets.push({
      key: 'tool',
      label: '.NET tool',
      code: `dotnet tool install --global ${t.id} --version ${t.version}`,
    });
  }
  if (declaresPackageType(t.packageTypes, 'Template')) {
    snippets.push({ key: 'template', label: 'Template', code: `dotnet new install ${t.id}::${t.version}` });
  }
  return snippets;
}

export function installSnippets(t: InstallTarget): InstallSnippet[] {
  const query = `package=${t.id}&version=${t.version}`;
  return [
    ...toolSnippets(t),
    { key: 'cli', label: '.NET CLI', code: `dotnet add package ${t.id} --version ${t.version}` },
    {
      key: 'packagereference',
      label: 'PackageReference',
      code: `<PackageReference Include="${t.id}" Version="${t.version}" />`,
      note: 'In the project file, inside an <ItemGroup>.',
    },
    {
      key: 'cpm',
      label: 'Central Package Management',
      code: `<!-- Directory.Packages.props -->\n<PackageVersion Include="${t.id}" Version="${t.version}" />\n<!-- the project file -->\n<PackageReference Include="${t.id}" />`,
      note: 'With ManagePackageVersionsCentrally set to true in Directory.Packages.props.',
    },
    { key: 'paket', label: 'Paket', code: `paket add ${t.id} --version ${t.version}` },
    {
      key: 'cake',
      label: 'Cake',
      code: `#addin nuget:${t.source}?${query}\n#tool nuget:${t.source}?${query}`,
      note: '#addin for a Cake addin, #tool for a tool.',
    },
    {
      key: 'psresourceget',
      label: 'PSResourceGet',
      code: `Register-PSResourceRepository -Name ${t.repositoryName} -Uri ${t.source} -Trusted\nInstall-PSResource -Name ${t.id} -Version ${t.version} -Repository ${t.repositoryName}`,
      note: 'Register the repository once; then install from it.',
    },
    {
      key: 'fsharp',
      label: 'F# #r',
      code: `#r "nuget: ${t.id}, ${t.version}"`,
      note: 'In F# Interactive or a .fsx script.',
    },
  ];
}

/** The name clients know the feed by: its configured name, reduced to what a NuGet.Config key and a PowerShell name take. */
export function sourceName(feedName: string): string {
  return feedName.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'edgeget';
}

/** How to add the feed as a source. A private feed's lines carry a placeholder for the user's own read token. */
export function sourceSnippets(feedName: string, source: string, privateFeed: boolean): InstallSnippet[] {
  const name = sourceName(feedName);
  const insecure = source.startsWith('http:');
  const cli = [`dotnet nuget add source ${source} --name ${name}`];
  if (privateFeed) cli.push('--username edgeget --password <your read token> --store-password-in-clear-text');
  if (insecure) cli.push('--allow-insecure-connections');
  const credentials = privateFeed
    ? `\n  <packageSourceCredentials>\n    <${name}>\n      <add key="Username" value="edgeget" />\n      <add key="ClearTextPassword" value="%EDGEGET_READ_TOKEN%" />\n    </${name}>\n  </packageSourceCredentials>`
    : '';
  const config = `<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="${name}" value="${source}"${insecure ? ' allowInsecureConnections="true"' : ''} />
  </packageSources>${credentials}
</configuration>`;
  return [
    { key: 'add-source', label: '.NET CLI', code: cli.join(' ') },
    {
      key: 'nuget-config',
      label: 'NuGet.Config',
      code: config,
      note: privateFeed
        ? 'Set EDGEGET_READ_TOKEN to a read token the feed operator gave you.'
        : 'Beside your solution.',
    },
  ];
}
