/**
 * The search tests' feed: ids chosen to exercise ranking, paging, package types, visibility and
 * version order (test/search.test.ts, test/searchPackages.test.ts), and the query helpers.
 */
import { env, exports } from 'cloudflare:workers';
import { expect } from 'vitest';
import type { PackageVersionRecord } from '../../src/nuget/types';
import { insertVersionStatements, setListedStatements } from '../../src/store/packages';
import { versionRecord } from './records';

export const FEED = 'https://feed.test';
export const getQuery = (query: string) => exports.default.fetch(new Request(`${FEED}/v3/query${query}`));
export const search = async (query: string) => {
  const response = await getQuery(query);
  expect(response.status, query).toBe(200);
  return (await response.json()) as any;
};

const v = versionRecord;
export const searchSeed: PackageVersionRecord[] = [
  v('Contoso.Widgets', '1.0.0', { downloads: 100, tags: 'ui widgets', description: 'Widgets for Contoso apps.' }),
  v('Contoso.Widgets', '1.5.0', {
    downloads: 200,
    tags: 'ui widgets',
    description: 'Widgets for Contoso apps.',
    licenseExpression: 'MIT OR Apache-2.0',
    projectUrl: 'https://github.com/contoso/widgets',
    iconUrl: 'https://contoso.example/icon.png',
    authors: 'Contoso, Jane Doe',
  }),
  v('Contoso.Widgets', '2.0.0-beta', { downloads: 50, tags: 'ui widgets', iconContentType: 'image/png' }),
  v('Contoso.Widgets', '2.1.0-beta.2+sha.5114f85', { downloads: 10, tags: 'ui widgets' }),
  v('Contoso.Widgets.Blazor', '1.0.0', { downloads: 5000, tags: 'blazor widgets', title: 'Blazor Widgets' }),
  v('Widgets', '1.0.0', { downloads: 1, description: 'Plain widgets.', licenseUrl: 'https://example.test/license' }),
  v('Fabrikam.Json', '3.0.0', {
    title: 'Fabrikam JSON',
    summary: 'Fast serializer',
    description: 'Reads and writes documents.',
    authors: 'Fabrikam Team',
    tags: 'json serialization',
  }),
  v('Fabrikam.Tool', '1.0.0', { packageTypes: [{ name: 'DotnetTool' }], description: 'A tool.' }),
  v('Fabrikam.Tool', '2.0.0-preview', { description: 'A tool, preview without types.' }),
  v('Fabrikam.Template', '1.0.0', { packageTypes: [{ name: 'Template' }], description: 'Templates.' }),
  v('Only.SemVer2', '1.0.0+build.7', { description: 'Metadata makes it SemVer 2.' }),
  v('Only.Prerelease', '1.0.0-alpha', { description: 'Nothing stable yet.' }),
  v('Order.Test', '1.0.9', { description: 'NuGet order.' }),
  v('Order.Test', '1.0.10', { description: 'NuGet order, latest.' }),
  v('Order.Test', '1.0.10-alpha2', { description: 'NuGet order.' }),
  v('Order.Test', '1.0.10-alpha10', { description: 'NuGet order.' }),
  v('Order.Test', '1.0.10-rc.10', { description: 'NuGet order.' }),
  v('Order.Test', '1.0.10-rc.2', { description: 'NuGet order.' }),
  v('Partly.Unlisted', '1.0.0', { description: 'Keeps one listed version.' }),
  v('Partly.Unlisted', '2.0.0', { description: 'Unlisted later.', downloads: 7 }),
  v('Gone.Entirely', '1.0.0', { description: 'Every version unlisted.' }),
  ...Array.from({ length: 25 }, (_, i) =>
    v(`Paging.Pkg${String(i).padStart(2, '0')}`, '1.0.0', { description: 'Paging fixture.', downloads: i }),
  ),
];

/** Inserts the seed, then unlists Partly.Unlisted 2.0.0 and Gone.Entirely's one version. */
export async function seedSearchFeed(): Promise<void> {
  for (const record of searchSeed) await env.DB.batch(insertVersionStatements(env.DB, record));
  const now = '2026-02-01T00:00:00.000Z';
  await env.DB.batch(setListedStatements(env.DB, 'partly.unlisted', '2.0.0', false, now));
  await env.DB.batch(setListedStatements(env.DB, 'gone.entirely', '1.0.0', false, now));
}
