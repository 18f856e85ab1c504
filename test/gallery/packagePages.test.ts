/**
 * The gallery's package pages, assets and robots.txt through the Worker: latest version, README,
 * versions, dependencies, hostile metadata, the 404 page, private feeds, and that a page view
 * reads storage without writing it.
 */
import { createExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import worker from '../../src/index';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Env } from '../../src/env';
import { expectInert } from './inert';
import { buildNupkg, pushRequest } from '../support/nupkg';
import { links, page, script, seedGallery, send } from './seed';

beforeAll(seedGallery);

describe('package pages', () => {
  it('shows the latest listed version at /packages/{id}, in any casing', async () => {
    for (const path of ['/packages/Gallery.Widgets', '/packages/gallery.WIDGETS']) {
      const { response, html } = await page(path);
      expect(response.status, path).toBe(200);
      // 4.0.0 is unlisted and 3.0.0-beta a prerelease: latest is the newest listed stable.
      expect(html).toContain('<h1>Gallery Widgets <span class="version">2.0.0</span>');
    }
  });

  it('renders the README, the versions table, dependencies and the license', async () => {
    const { html } = await page('/packages/Gallery.Widgets/2.0.0');
    expect(html).toContain('<div class="readme"><h3>Widgets</h3>');
    expect(html).toContain('<strong>widgets</strong>');
    expect(html).toContain('&#60;script&#62;x&#60;/script&#62;');
    const table = html.slice(html.indexOf('<table class="versions">'), html.indexOf('</table>'));
    expect(table.match(/<tr/g)).toHaveLength(5);
    expect(table.indexOf('4.0.0')).toBeLessThan(table.indexOf('3.0.0-beta'));
    expect(table).toMatch(/<tr class="unlisted">\n<th scope="row"><a [^>]*>4\.0\.0<\/a>/);
    expect(table).toContain('<tr aria-current="page">');
    expect(html).toContain(`<a href="${links.packagePage('Gallery.Core')}">Gallery.Core</a>`);
    expect(html).toContain('<li>Elsewhere.Lib <span class="range">');
    expect(html).toContain('<a href="https://spdx.org/licenses/MIT.html" rel="nofollow noopener">MIT</a> OR ');
    expect(html).toContain('101 in all, 60 of this version');
    expect(html).toContain(`<meta property="og:url" content="${links.packageDetails('Gallery.Widgets', '2.0.0')}">`);
    expect(html).toContain(`<meta property="og:image" content="${links.galleryAssets.defaultIcon}">`);
    for (const tool of [
      'dotnet add package',
      'PackageReference',
      'PackageVersion',
      'paket add',
      '#addin nuget:',
      'Install-PSResource',
      '#r &#34;nuget: Gallery.Widgets, 2.0.0&#34;',
    ]) {
      expect(html, tool).toContain(tool);
    }
    expectInert(html, { script });
  });

  it('shows the repository and the license file from the pushed package', async () => {
    const nupkg = buildNupkg({
      id: 'Gallery.Licensed',
      version: '1.0.0',
      metadata:
        '<repository type="git" url="https://github.com/contoso/licensed" /><license type="file">docs/LICENSE.txt</license>',
      files: { 'docs/LICENSE.txt': 'Licensed to <you> & "others".\n\nNo warranty.' },
    });
    expect((await worker.fetch(pushRequest(nupkg), env, createExecutionContext())).status).toBe(201);
    const { html } = await page('/packages/Gallery.Licensed');
    expect(html).toContain(
      '<dt>Repository</dt><dd><a href="https://github.com/contoso/licensed" rel="nofollow noopener">https://github.com/contoso/licensed</a> (git)</dd>',
    );
    expect(html).toContain('<dt>License</dt><dd><a href="#license">docs/LICENSE.txt</a></dd>');
    expect(html).toContain(
      '<pre class="license-text">Licensed to &#60;you&#62; &#38; &#34;others&#34;.\n\nNo warranty.</pre>',
    );
    expectInert(html, { script });
  });

  it('offers the tool install line for a .NET tool', async () => {
    const { html } = await page('/packages/Gallery.Tool');
    expect(html).toContain('dotnet tool install --global Gallery.Tool --version 1.0.0');
  });

  it('keeps hostile metadata inert on every page that shows it', async () => {
    for (const path of ['/packages/Gallery.Evil', '/packages/Gallery.Evil/1.0.0/report', '/packages?q=evil', '/']) {
      const { html } = await page(path);
      expectInert(html, { script });
      expect(html, path).not.toContain('window.__xss=1"');
    }
    const { html } = await page('/packages/Gallery.Evil');
    expect(html).toContain(`src="${links.galleryAssets.defaultIcon}"`);
    expect(html).not.toMatch(/href="\s*(javascript|data|vbscript):/i);
  });

  it('answers a helpful HTML 404 with a search box', async () => {
    for (const path of ['/packages/Nobody.Here', '/packages/Nobody.Here/1.0.0', '/packages/Gallery.Widgets/9.9.9']) {
      const { response, html } = await page(path);
      expect(response.status, path).toBe(404);
      expect(html).toContain('<h1>Package not found</h1>');
      expect(html).toMatch(/<input id="missing-q" type="search" name="q" value="(Nobody\.Here|Gallery\.Widgets)"/);
    }
  });

  it('reads storage and writes none', async () => {
    const sql: string[] = [];
    const writes: string[] = [];
    const db = new Proxy(env.DB, {
      get(target, property) {
        const value = Reflect.get(target, property);
        if (property === 'prepare') {
          return (text: string) => {
            sql.push(text);
            return target.prepare(text);
          };
        }
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const bucket = new Proxy(env.PACKAGES, {
      get(target, property) {
        const value = Reflect.get(target, property);
        if (property !== 'get' && property !== 'head') writes.push(`PACKAGES.${String(property)}`);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const counted = { ...env, DB: db, PACKAGES: bucket, PAGES: undefined } as unknown as Env;
    for (const path of ['/', '/packages?q=widgets', '/packages/Gallery.Widgets', '/packages/Gallery.Widgets/2.0.0']) {
      expect((await send(path, counted)).status, path).toBe(200);
    }
    expect(sql.length).toBeGreaterThan(0);
    expect(sql.filter((text) => /^\s*(INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP)/i.test(text))).toEqual([]);
    expect(writes).toEqual([]);
  });
});

describe('assets, robots.txt and private feeds', () => {
  it('serves the styles, script and icons from the feed itself', async () => {
    for (const [path, type] of [
      ['/_gallery/site.css', 'text/css; charset=utf-8'],
      ['/_gallery/site.js', 'text/javascript; charset=utf-8'],
      ['/favicon.svg', 'image/svg+xml'],
      ['/_gallery/package.svg', 'image/svg+xml'],
    ] as const) {
      const response = await send(path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('Content-Type')).toBe(type);
      expect(response.headers.get('ETag')).toMatch(/^"/);
      expect((await response.text()).length).toBeGreaterThan(100);
    }
    expect(await (await send('/_gallery/site.css')).text()).toContain('prefers-color-scheme:dark');
  });

  it('lets crawlers index a public feed’s pages but not its API', async () => {
    const text = await (await send('/robots.txt')).text();
    expect(text).toBe('User-agent: *\nDisallow: /v3/\nDisallow: /api/\nDisallow: /admin/\nAllow: /\n');
  });

  it('on a private feed: asks for credentials for pages, and robots.txt disallows everything without them', async () => {
    const privateEnv = { ...env, PRIVATE_FEED: 'true' };
    for (const path of ['/', '/packages', '/packages/Gallery.Widgets', '/_gallery/site.css']) {
      expect((await send(path, privateEnv)).status, path).toBe(401);
    }
    const robots = await send('/robots.txt', privateEnv);
    expect(robots.status).toBe(200);
    expect(await robots.text()).toBe('User-agent: *\nDisallow: /\n');
    expect(robots.headers.get('Cache-Control')).toMatch(/^private/);
    const admin = `Basic ${btoa(`u:${env.NUGET_API_KEY}`)}`;
    const home = await send('/', privateEnv, { headers: { Authorization: admin } });
    expect(home.status).toBe(200);
    const html = await home.text();
    expect(html).toContain('(private');
    expect(html).toContain('%EDGEGET_READ_TOKEN%');
    expect(html).not.toContain(env.NUGET_API_KEY ?? 'no key');
    expect(home.headers.get('Cache-Control')).toBe('private, max-age=60');
  });
});
