/**
 * Packages for a gallery to show, pushed over HTTP as `dotnet nuget push` would: a package with a
 * README (headings, code, a table, its own icon as an image), an icon, tags, a license, several
 * versions (a prerelease, an unlisted one) and dependencies; a .NET tool, a template, and enough
 * small packages that search results have a second page. The browser tests and
 * `npm run screenshots` share it.
 */
import { buildNupkg, multipartBody } from './nupkg.mjs';

const ICON_PNG = Uint8Array.from(
  atob(
    'iVBORw0KGgoAAAANSUhEUgAAAEAAAABACAYAAACqaXHeAAAA4klEQVR42u2b2w3DIBAEqSu1pWXXkNRgzvuwmJH8DTsQ2RyXtQAAAEDJ93P9dp9jg79WxJOhXyfDEb5SgjN4nYhk+LiEO5PcoVqCMviuiKrwCiokpMJXSEgGvyvCLmASRCGhMrzirWGRMJ3s5B1f8VNIhX9iDKkAR/jpWLHVV3zyRnZBS/jJuNbVdxx+bLugbfXtu6Bx9XfngAAEIAABUgGJWiA7AAEIQAACmgQccxY45jR4fD2AihA1QarC3AtwM8TdILfD9AfQIUKPEF1i9AnSKUqvMN3i/F8gIWIBAADI+ANQEQhC906vzgAAAABJRU5ErkJggg==',
  ),
  (c) => c.charCodeAt(0),
);

/** How many small packages the seed adds besides the named ones: more than one page of 20 results. */
export const BULK_PACKAGES = 22;

/**
 * @typedef {object} SeedPackage
 * @property {string} id
 * @property {string} version
 * @property {string} [description]
 * @property {string} [metadata] Extra nuspec <metadata> XML.
 * @property {string} [readme] README.md content (the nuspec names it).
 * @property {boolean} [icon] Embed the seed's icon.png.
 */

/**
 * @param {{ origin: string, apiKey: string }} feed
 * @param {SeedPackage} pkg
 */
export async function pushSeedPackage(feed, pkg) {
  /** @type {Record<string, string | Uint8Array>} */
  const files = {};
  let metadata = pkg.metadata ?? '';
  if (pkg.readme !== undefined) {
    files['README.md'] = pkg.readme;
    metadata += '<readme>README.md</readme>';
  }
  if (pkg.icon) {
    files['icon.png'] = ICON_PNG;
    metadata += '<icon>icon.png</icon>';
  }
  const nupkg = buildNupkg({ id: pkg.id, version: pkg.version, description: pkg.description, metadata, files });
  const { body, contentType } = multipartBody(nupkg);
  const response = await fetch(`${feed.origin}/api/v2/package/`, {
    method: 'PUT',
    headers: { 'Content-Type': contentType, 'X-NuGet-ApiKey': feed.apiKey },
    body: /** @type {BodyInit} */ (body),
  });
  if (response.status !== 201)
    throw new Error(`push of ${pkg.id} ${pkg.version}: ${response.status} ${await response.text()}`);
}

/**
 * @param {{ origin: string, apiKey: string }} feed
 * @param {string} id
 * @param {string} version
 */
export async function unlist(feed, id, version) {
  const response = await fetch(`${feed.origin}/api/v2/package/${id}/${version}`, {
    method: 'DELETE',
    headers: { 'X-NuGet-ApiKey': feed.apiKey },
  });
  if (!response.ok) throw new Error(`unlist of ${id} ${version}: ${response.status}`);
}

/** @param {string} origin */
export function widgetsReadme(origin) {
  return `# Contoso.Widgets

Composable **widgets** for .NET apps: buttons, gauges and charts that render anywhere.

![The widgets icon](${origin}/v3/flat/contoso.widgets/2.0.0/icon)

## Getting started

\`\`\`csharp
using Contoso.Widgets;

var gauge = new Gauge { Min = 0, Max = 100, Value = 42 };
Console.WriteLine(gauge.Render());
\`\`\`

## Features

| Widget | Since |
| --- | --- |
| Button | 1.0 |
| Gauge | 2.0 |

- [x] Dark mode
- [ ] 3D charts

See the [documentation](https://contoso.example/widgets/docs) for more.
`;
}

const WIDGET_METADATA = `<title>Contoso Widgets</title>
<tags>ui widgets charts</tags>
<license type="expression">MIT</license>
<projectUrl>https://contoso.example/widgets</projectUrl>
<repository type="git" url="https://github.com/contoso/widgets" />
<copyright>© Contoso</copyright>
<releaseNotes>Gauges, and a dark theme.</releaseNotes>
<dependencies>
  <group targetFramework="net8.0"><dependency id="Contoso.Core" version="1.2.0" /><dependency id="Newtonsoft.Json" version="13.0.3" /></group>
  <group targetFramework="netstandard2.0"><dependency id="Contoso.Core" version="1.2.0" /></group>
</dependencies>`;

/**
 * Pushes the seed packages, oldest first (so "recently published" has an order), and unlists
 * Contoso.Widgets 1.1.0.
 * @param {{ origin: string, apiKey: string }} feed
 */
export async function seedGallery(feed) {
  const widgets = 'Composable widgets for .NET apps: buttons, gauges and charts.';
  /** @type {SeedPackage[]} */
  const packages = [];
  for (let i = 0; i < BULK_PACKAGES; i++) {
    const n = String(i + 1).padStart(2, '0');
    packages.push({
      id: `Acme.Utility${n}`,
      version: `1.${i}.0`,
      description: `Acme utility number ${n}.`,
      metadata: '<tags>acme utility</tags>',
    });
  }
  packages.push(
    {
      id: 'Contoso.Core',
      version: '1.2.0',
      description: 'The core types every Contoso library shares.',
      metadata: '<tags>core contoso</tags><license type="expression">Apache-2.0</license>',
    },
    { id: 'Contoso.Widgets', version: '1.0.0', description: widgets, metadata: WIDGET_METADATA, icon: true },
    { id: 'Contoso.Widgets', version: '1.1.0', description: widgets, metadata: WIDGET_METADATA, icon: true },
    { id: 'Contoso.Widgets', version: '2.0.0-beta.1', description: widgets, metadata: WIDGET_METADATA, icon: true },
    {
      id: 'Contoso.Widgets',
      version: '2.0.0',
      description: widgets,
      metadata: WIDGET_METADATA,
      icon: true,
      readme: widgetsReadme(feed.origin),
    },
    {
      id: 'Contoso.Cli',
      version: '3.1.0',
      description: 'A command-line tool for Contoso projects.',
      metadata: '<tags>cli tool</tags><packageTypes><packageType name="DotnetTool" /></packageTypes>',
    },
    {
      id: 'Contoso.Templates',
      version: '1.0.0',
      description: 'Project templates for Contoso apps.',
      metadata: '<tags>templates</tags><packageTypes><packageType name="Template" /></packageTypes>',
    },
    {
      id: 'Fabrikam.Preview',
      version: '0.9.0-rc.1',
      description: 'An early look at Fabrikam’s next API.',
      metadata: '<tags>preview</tags>',
    },
  );
  for (const pkg of packages) await pushSeedPackage(feed, pkg);
  await unlist(feed, 'Contoso.Widgets', '1.1.0');
}
