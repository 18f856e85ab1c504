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

/** A NuGet.Config naming the feed at `source`; a private feed's carries a read token from the environment. */
function nugetConfig(name: string, source: string, privateFeed: boolean): string {
  const insecure = source.startsWith('http:');
  const credentials = privateFeed
    ? `\n  <packageSourceCredentials>\n    <${name}>\n      <add key="Username" value="edgeget" />\n      <add key="ClearTextPassword" value="%EDGEGET_READ_TOKEN%" />\n    </${name}>\n  </packageSourceCredentials>`
    : '';
  return `<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="${name}" value="${source}"${insecure ? ' allowInsecureConnections="true"' : ''} />
  </packageSources>${credentials}
</configuration>`;
}

const TOKEN_NOTE = 'Set EDGEGET_READ_TOKEN to a read token the feed operator gave you.';

/** How to add the feed as a source. A private feed's lines carry a placeholder for the user's own read token. */
export function sourceSnippets(feedName: string, source: string, privateFeed: boolean): InstallSnippet[] {
  const name = sourceName(feedName);
  const cli = [`dotnet nuget add source ${source} --name ${name}`];
  if (privateFeed) cli.push('--username edgeget --password <your read token> --store-password-in-clear-text');
  if (source.startsWith('http:')) cli.push('--allow-insecure-connections');
  return [
    { key: 'add-source', label: '.NET CLI', code: cli.join(' ') },
    {
      key: 'nuget-config',
      label: 'NuGet.Config',
      code: nugetConfig(name, source, privateFeed),
      note: privateFeed ? TOKEN_NOTE : 'Beside your solution.',
    },
  ];
}

/**
 * The same feed for clients that speak only the V2 (OData) protocol, at `v2Base` (…/api/v2/):
 * PowerShellGet v2 (Windows PowerShell's Install-Module), Chocolatey, nuget.exe 2.x and any
 * NuGet.Config whose source URL does not end in .json.
 */
export function v2SourceSnippets(feedName: string, v2Base: string, privateFeed: boolean): InstallSnippet[] {
  const name = sourceName(feedName);
  const credential = privateFeed ? ' -Credential (Get-Credential)' : '';
  return [
    {
      key: 'powershellget',
      label: 'PowerShellGet',
      code: `Register-PSRepository -Name ${name} -SourceLocation ${v2Base} -PublishLocation ${v2Base}package/ -InstallationPolicy Trusted${credential}\nInstall-Module -Name <module> -Repository ${name}${credential}`,
      note: privateFeed
        ? 'Give a read token as the password. Publish-Module -Repository with -NuGetApiKey pushes.'
        : 'Register once; Publish-Module -Repository with -NuGetApiKey pushes.',
    },
    {
      key: 'chocolatey',
      label: 'Chocolatey',
      code: `choco source add -n=${name} -s="${v2Base}"${privateFeed ? ' -u=edgeget -p="<your read token>"' : ''}`,
    },
    {
      key: 'nuget-config-v2',
      label: 'NuGet.Config (V2)',
      code: nugetConfig(name, v2Base, privateFeed),
      note: privateFeed ? TOKEN_NOTE : 'For nuget.exe 2.x and tools that read only V2 feeds.',
    },
  ];
}
