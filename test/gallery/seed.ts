/**
 * The gallery's worker tests' feed: packages seeded straight into D1 (and one README into R2),
 * hostile metadata included, and requests through the Worker with any env.
 */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import type { Env } from '../../src/env';
import worker from '../../src/index';
import { feedLinks } from '../../src/links';
import { blobKeys } from '../../src/store/blobs';
import { insertVersionStatements } from '../../src/store/packages';
import { versionRecord } from '../support/records';
import { METADATA_PAYLOADS, URL_PAYLOADS } from './xssPayloads';

export const FEED = 'https://feed.test';
export const links = feedLinks(FEED);
export const script = links.galleryAssets.script;

export async function send(path: string, withEnv: Env = env, init: RequestInit = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await worker.fetch(new Request(`${FEED}${path}`, init), withEnv, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}
export const page = async (path: string, withEnv: Env = env) => {
  const response = await send(path, withEnv);
  return { response, html: await response.text() };
};

const evil = METADATA_PAYLOADS.join(' ');
const records = [
  versionRecord('Gallery.Widgets', '1.0.0', {
    downloads: 40,
    published: '2026-02-01T00:00:00.000Z',
    tags: 'ui widgets',
  }),
  versionRecord('Gallery.Widgets', '2.0.0', {
    title: 'Gallery Widgets',
    downloads: 60,
    published: '2026-03-01T00:00:00.000Z',
    hasReadme: true,
    tags: 'ui widgets',
    licenseExpression: 'MIT OR Apache-2.0',
    dependencyGroups: [
      {
        targetFramework: 'net8.0',
        dependencies: [
          { id: 'Gallery.Core', range: '[1.0.0, )' },
          { id: 'Elsewhere.Lib', range: '[2.0.0, )' },
        ],
      },
    ],
  }),
  versionRecord('Gallery.Widgets', '3.0.0-beta', { downloads: 1, published: '2026-04-01T00:00:00.000Z' }),
  versionRecord('Gallery.Widgets', '4.0.0', { listed: false, downloads: 0 }),
  versionRecord('Gallery.Core', '1.0.0', { downloads: 500, published: '2026-01-15T00:00:00.000Z' }),
  versionRecord('Gallery.Tool', '1.0.0', { packageTypes: [{ name: 'DotnetTool' }], downloads: 5 }),
  versionRecord('Gallery.Preview', '0.1.0-alpha', { downloads: 2, published: '2026-05-01T00:00:00.000Z' }),
  versionRecord('Gallery.Evil', '1.0.0', {
    title: evil,
    description: evil,
    summary: evil,
    authors: evil,
    tags: METADATA_PAYLOADS.join(' '),
    copyright: evil,
    releaseNotes: evil,
    projectUrl: URL_PAYLOADS[0]!,
    licenseUrl: URL_PAYLOADS[2]!,
    iconUrl: URL_PAYLOADS[1]!,
    dependencyGroups: [{ targetFramework: evil, dependencies: METADATA_PAYLOADS.map((id) => ({ id, range: evil })) }],
  }),
  ...Array.from({ length: 24 }, (_, i) => versionRecord(`Gallery.Bulk${String(i).padStart(2, '0')}`, '1.0.0')),
];

export async function seedGallery(): Promise<void> {
  await env.DB.batch(records.flatMap((r) => insertVersionStatements(env.DB, r)));
  await env.PACKAGES.put(
    blobKeys.readme('gallery.widgets', '2.0.0'),
    '# Widgets\n\nUse **widgets**.\n\n<script>x</script>',
  );
}
