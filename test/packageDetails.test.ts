import { env, exports } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { feedLinks } from '../src/links';
import { escapeHtml } from '../src/gallery/html';
import type { GalleryContext } from '../src/gallery/layout';
import { packagePageHtml } from '../src/gallery/packagePage';
import { reportAbuseHtml } from '../src/gallery/statusPages';
import { insertVersionStatements } from '../src/store/packages';
import { versionRecord } from './support/records';
import type { PackageVersionRecord } from '../src/nuget/types';

const FEED = 'https://feed.test';
const get = (path: string) => exports.default.fetch(new Request(`${FEED}${path}`));
const links = feedLinks(FEED);
const ctx: GalleryContext = { feedName: 'EdgeGet', links, privateFeed: false };
const pageData = (record: PackageVersionRecord) => ({
  record,
  versions: [],
  totalVersions: 0,
  totalDownloads: 0,
  readme: null,
  dependenciesOnFeed: new Set<string>(),
  extras: { repository: null, licenseFile: null, licenseText: null },
});

const widgets = versionRecord('Contoso.Widgets', '1.2.0+sha.abc', {
  title: 'Contoso Widgets',
  description: 'Widgets <script>alert("x")</script> & more',
  authors: 'Ann & Bob',
  tags: 'widgets  ui',
  licenseExpression: 'MIT',
  projectUrl: 'https://contoso.example/widgets?a=1&b=2',
  hasReadme: true,
  dependencyGroups: [
    { targetFramework: 'net8.0', dependencies: [{ id: 'Contoso.Core', range: '[1.0.0, 2.0.0)' }] },
    { dependencies: [{ id: 'Contoso.Any', range: '' }] },
  ],
});
const hidden = versionRecord('Contoso.Hidden', '1.0.0', {
  listed: false,
  projectUrl: 'javascript:alert(1)',
});

beforeAll(async () => {
  await env.DB.batch([...insertVersionStatements(env.DB, widgets), ...insertVersionStatements(env.DB, hidden)]);
});

describe('package details page', () => {
  it('serves an escaped HTML page for the version', async () => {
    const response = await get('/packages/Contoso.Widgets/1.2.0');
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    const html = await response.text();
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).not.toContain('<script>');
    expect(html).toContain('Widgets &#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; &#38; more');
    expect(html).toContain('Ann &#38; Bob');
    expect(html).toContain('dotnet add package Contoso.Widgets --version 1.2.0</code>');
    expect(html).toContain(`href="${links.packageContent('contoso.widgets', '1.2.0')}"`);
    expect(html).toContain('href="https://contoso.example/widgets?a=1&#38;b=2"');
    expect(html).toContain('href="https://spdx.org/licenses/MIT.html"');
    expect(html).toMatch(/<a href="[^"]*tags%3A%22widgets%22">widgets<\/a>.*<a href="[^"]*tags%3A%22ui%22">ui<\/a>/);
    expect(html).toContain('Contoso.Core <span class="range">(&#62;= 1.0.0 &#38;&#38; &#60; 2.0.0)</span>');
    expect(html).toContain('Contoso.Any <span class="range">any version</span>');
    expect(html).toContain('net8.0');
    expect(html).not.toContain('Unlisted');
  });

  it('accepts any id casing and non-normalized versions', async () => {
    for (const path of [
      '/packages/contoso.widgets/1.2.0',
      '/packages/CONTOSO.WIDGETS/1.2',
      '/packages/Contoso.Widgets/1.2.0.0',
      '/packages/Contoso.Widgets/1.2.0+other',
    ]) {
      const response = await get(path);
      expect(response.status, path).toBe(200);
      expect(await response.text()).toContain('<h1>Contoso Widgets <span class="version">1.2.0+sha.abc</span>');
    }
  });

  it('shows unlisted versions as unlisted and never links a non-http URL', async () => {
    const html = await (await get('/packages/contoso.hidden/1.0.0')).text();
    expect(html).toContain('Unlisted');
    expect(html).not.toContain('href="javascript:');
    expect(html).toContain('This package has no README.');
  });

  it('answers an HTML 404 for unknown packages and 400 for unparseable versions', async () => {
    for (const [path, status] of [
      ['/packages/Contoso.Widgets/9.9.9', 404],
      ['/packages/Nobody/1.0.0', 404],
      ['/packages/Contoso.Widgets/not-a-version', 400],
      ['/packages/Contoso.Widgets/%E0%A4%A', 400],
      ['/packages/Contoso.Widgets/1.0.0-%3Cscript%3E', 400],
    ] as const) {
      const response = await get(path);
      expect(response.status, path).toBe(status);
      expect(response.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
      expect(await response.text()).not.toContain('<script>');
    }
    const html = await (await get('/packages/%3Cscript%3E/1.0.0')).text();
    expect(html).toContain('&#60;script&#62;');
    expect(html).not.toContain('<script>');
  });

  it('answers HEAD', async () => {
    const response = await exports.default.fetch(
      new Request(`${FEED}/packages/Contoso.Widgets/1.2.0`, { method: 'HEAD' }),
    );
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });
});

describe('report abuse page', () => {
  it('says no contact is configured when REPORT_ABUSE_EMAIL is unset (the test default)', async () => {
    const response = await get('/packages/contoso.WIDGETS/1.2/report');
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    const html = await response.text();
    expect(html).toContain('has not configured a contact');
    expect(html).not.toContain('mailto:');
    expect(html).toContain(`href="${links.packageDetails('Contoso.Widgets', '1.2.0+sha.abc')}"`);
    expect((await get('/packages/Nobody/1.0.0/report')).status).toBe(404);
  });

  it('offers a mailto link with a prefilled subject when a contact is configured', () => {
    const html = reportAbuseHtml(ctx, widgets, 'abuse@contoso.example');
    expect(html).toContain(
      'href="mailto:abuse@contoso.example?subject=Report%20abuse%3A%20Contoso.Widgets%201.2.0%2Bsha.abc"',
    );
    expect(html).not.toContain('has not configured');
    expect(reportAbuseHtml(ctx, widgets, null)).not.toContain('mailto:');
  });

  it('escapes the package strings', () => {
    const evil = versionRecord('Evil', '1.0.0', { id: '"><script>x</script>' });
    for (const html of [reportAbuseHtml(ctx, evil, 'a@b.example'), packagePageHtml(ctx, pageData(evil))]) {
      expect(html).not.toContain('<script>');
    }
  });
});

it('escapeHtml escapes the five HTML-significant characters', () => {
  expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
    '&#60;a href=&#34;x&#34; title=&#39;y&#39;&#62;&#38;&#60;/a&#62;',
  );
});
