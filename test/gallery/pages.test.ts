/** The gallery's home and search pages through the Worker: content, caching headers, FEED_NAME, filters, paging, hostile queries. */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectInert } from './inert';
import { FEED, links, page, script, seedGallery, send } from './seed';
import { METADATA_PAYLOADS } from './xssPayloads';

beforeAll(seedGallery);

describe('home page', () => {
  it('shows the feed, how to add it, its totals and what is new and popular', async () => {
    const { response, html } = await page('/');
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('Cache-Control')).toBe('public, max-age=60');
    expect(response.headers.get('Content-Security-Policy')).toContain("script-src 'self'");
    expect(html).toContain('<h1 id="feed-name">EdgeGet</h1>');
    expect(html).toContain(`dotnet nuget add source ${FEED}/v3/index.json --name EdgeGet</code>`);
    expect(html).toContain(`&#60;add key=&#34;EdgeGet&#34; value=&#34;${FEED}/v3/index.json&#34; /&#62;`);
    // 29 ids, 31 listed versions (Gallery.Widgets has 3 of its 4 listed).
    expect(html).toContain('<li><strong>29</strong> packages</li>');
    expect(html).toContain('<li><strong>31</strong> versions</li>');
    expect(html).toContain('<li><strong>608</strong> downloads</li>');
    const recent = html.slice(html.indexOf('id="recent"'), html.indexOf('id="popular"'));
    expect(recent.indexOf('Gallery.Preview')).toBeLessThan(recent.indexOf('Gallery.Widgets'));
    const popular = html.slice(html.indexOf('id="popular"'));
    expect(popular.indexOf('Gallery.Core')).toBeLessThan(popular.indexOf('Gallery.Widgets'));
    expectInert(html, { script });
  });

  it('answers 304 to its own ETag and names the feed by FEED_NAME', async () => {
    const first = await send('/');
    const etag = first.headers.get('ETag') ?? '';
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    const again = await send('/', env, { headers: { 'If-None-Match': etag } });
    expect(again.status).toBe(304);
    expect(again.headers.get('ETag')).toBe(etag);
    const { html } = await page('/', { ...env, FEED_NAME: 'Contoso <Packages>' });
    expect(html).toContain('<title>Contoso &#60;Packages&#62;</title>');
    expect(html).toContain('--name Contoso-Packages');
  });
});

describe('search page', () => {
  it('finds packages with the API query syntax and counts them', async () => {
    const { html } = await page('/packages?q=widgets');
    expect(html).toContain('1 package found for “widgets”');
    expect(html).toContain(
      `<a href="${links.packagePage('Gallery.Widgets')}">Gallery.Widgets</a> <span class="version">3.0.0-beta</span>`,
    );
    const exact = await page('/packages?q=packageid:gallery.core');
    expect(exact.html).toContain('1 package found');
    expect(exact.html).toContain('Gallery.Core');
  });

  it('filters prerelease and package type', async () => {
    const stable = await page('/packages?q=widgets&prerelease=false');
    expect(stable.html).toContain('<span class="version">2.0.0</span>');
    expect(stable.html).toContain('<option value="false" selected>Stable only</option>');
    expect((await page('/packages?q=preview&prerelease=false')).html).toContain('0 packages found');
    const tools = await page('/packages?packageType=DotnetTool');
    expect(tools.html).toContain('<p class="result-count" role="status">1 package</p>');
    expect(tools.html).toContain('Gallery.Tool');
    expect(tools.html).toContain('<option value="DotnetTool" selected>DotnetTool</option>');
  });

  it('pages through results', async () => {
    const first = await page('/packages');
    expect(first.html).toContain('29 packages');
    expect(first.html).toContain('Page 1 of 2');
    expect(first.html).toContain(`href="${links.packageSearchPage}?page=2" rel="next"`);
    const second = await page('/packages?page=2');
    expect(second.html).toContain('Page 2 of 2');
    expect(second.html.match(/class="package-row"/g)).toHaveLength(9);
    expect((await page('/packages?page=nonsense')).html).toContain('Page 1 of 2');
  });

  it('keeps a hostile query inert', async () => {
    for (const q of METADATA_PAYLOADS) {
      const { response, html } = await page(`/packages?q=${encodeURIComponent(q)}`);
      expect(response.status).toBe(200);
      expectInert(html, { script });
    }
  });
});
