/**
 * The web gallery in real headless Chromium against `wrangler dev` with seeded packages: what a
 * new user does (search, page, open a package, read its README, switch versions, copy an install
 * line), on a phone and in dark mode, with an axe-core scan of every page.
 */
import { describe, expect, it } from 'vitest';
import { BULK_PACKAGES } from '../../devkit/gallerySeed.mjs';
import { expectAccessible, hasChromium, useGallery } from './page';

const PACKAGES = 5 + BULK_PACKAGES;

describe.skipIf(!hasChromium)('the gallery in Chromium', () => {
  const suite = useGallery();

  it('home: the feed, how to add it, totals and lists', async () => {
    const page = await suite.open();
    const response = await page.goto(`${suite.feed.origin}/`);
    expect(response?.status()).toBe(200);
    await expect(page.title()).resolves.toBe('EdgeGet');
    expect(await page.locator('.totals').innerText()).toContain(`${PACKAGES} packages`);
    expect(await page.locator('#panel-source-add-source code').innerText()).toBe(
      `dotnet nuget add source ${suite.feed.origin}/v3/index.json --name EdgeGet --allow-insecure-connections`,
    );
    const recent = page.locator('section[aria-labelledby=recent] .package-row h3 a');
    expect(await recent.count()).toBe(6);
    // The icon the package embeds is shown, and it loaded.
    const icon = page.locator('.package-row:has(a:text-is("Contoso.Widgets")) img.icon').first();
    await expect.poll(() => icon.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(64);
    await expectAccessible(page);
  });

  it('search: type a query, filter, and page through results', async () => {
    const page = await suite.open();
    await page.goto(`${suite.feed.origin}/`);
    await page.getByRole('searchbox', { name: 'Search packages' }).fill('contoso');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/packages\?q=contoso$/);
    await expect(page.locator('.result-count').innerText()).resolves.toBe('4 packages found for “contoso”');
    await page.locator('#packageType').selectOption('DotnetTool');
    await page.getByRole('button', { name: 'Search', exact: true }).last().click();
    await page.waitForURL(/packageType=DotnetTool/);
    expect(await page.locator('.package-row h3 a').allInnerTexts()).toEqual(['Contoso.Cli']);
    await page.goto(`${suite.feed.origin}/packages?q=preview&prerelease=false`);
    await expect(page.locator('.result-count').innerText()).resolves.toContain('0 packages');
    await page.goto(`${suite.feed.origin}/packages`);
    await expect(page.locator('.pager').innerText()).resolves.toContain('Page 1 of 2');
    expect(await page.locator('.package-row').count()).toBe(20);
    await page.getByRole('link', { name: 'Next →' }).click();
    await expect(page.locator('.pager').innerText()).resolves.toContain('Page 2 of 2');
    expect(await page.locator('.package-row').count()).toBe(PACKAGES - 20);
    await expectAccessible(page);
  });

  it('package: open it, read the README, switch versions', async () => {
    const page = await suite.open();
    await page.goto(`${suite.feed.origin}/packages?q=widgets`);
    await page.getByRole('link', { name: 'Contoso.Widgets' }).click();
    await page.waitForURL(/\/packages\/Contoso\.Widgets$/);
    await expect(page.locator('h1').innerText()).resolves.toMatch(/^Contoso Widgets 2\.0\.0/);
    const readme = page.locator('.readme');
    await expect(readme.locator('h4').first().innerText()).resolves.toBe('Getting started');
    await expect(readme.locator('code.language-csharp').innerText()).resolves.toContain('new Gauge');
    expect(await readme.locator('table td').allInnerTexts()).toEqual(['Button', '1.0', 'Gauge', '2.0']);
    const image = readme.locator('img');
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(64);
    await expect(page.locator('.facts dt:text-is("Repository") + dd a').getAttribute('href')).resolves.toBe(
      'https://github.com/contoso/widgets',
    );
    // Dependencies on this feed link to their page; others are text.
    await expect(page.locator('.dependencies a').first().innerText()).resolves.toBe('Contoso.Core');
    await expect(page.locator('.dependencies').first().innerText()).resolves.toContain('Newtonsoft.Json');
    const rows = page.locator('table.versions tbody tr');
    expect(await rows.locator('th').allInnerTexts()).toEqual(['2.0.0', '2.0.0-beta.1', '1.1.0', '1.0.0']);
    await expect(rows.nth(2).innerText()).resolves.toContain('Unlisted');
    await expectAccessible(page);
    await rows.nth(3).getByRole('link').click();
    await page.waitForURL(/\/packages\/Contoso\.Widgets\/1\.0\.0$/);
    await expect(page.locator('h1').innerText()).resolves.toMatch(/^Contoso Widgets 1\.0\.0/);
    await expect(page.locator('tr[aria-current=page] th').innerText()).resolves.toBe('1.0.0');
  });

  it('install snippets: tabs by mouse and keyboard, copy to the clipboard', async () => {
    const page = await suite.open();
    await page.goto(`${suite.feed.origin}/packages/contoso.widgets/2.0.0`);
    const install = page.locator('section[aria-labelledby=install]');
    await install.getByRole('tab', { name: 'Paket' }).click();
    await expect(install.getByRole('tabpanel').innerText()).resolves.toContain(
      'paket add Contoso.Widgets --version 2.0.0',
    );
    await install.getByRole('tabpanel').getByRole('button', { name: 'Copy to clipboard' }).click();
    await expect
      .poll(() => page.evaluate(() => navigator.clipboard.readText()))
      .toBe('paket add Contoso.Widgets --version 2.0.0');
    await expect(install.getByRole('tabpanel').getByRole('button').innerText()).resolves.toBe('Copied');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('ArrowRight');
    await expect(install.getByRole('tab', { selected: true }).innerText()).resolves.toBe('Cake');
    await page.keyboard.press('Home');
    await expect(install.getByRole('tab', { selected: true }).innerText()).resolves.toBe('.NET CLI');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.evaluate(() => navigator.clipboard.readText()))
      .toBe('dotnet add package Contoso.Widgets --version 2.0.0');
  });

  it('a tool shows its tool install line first', async () => {
    const page = await suite.open();
    await page.goto(`${suite.feed.origin}/packages/Contoso.Cli`);
    await expect(page.getByRole('tab', { selected: true }).innerText()).resolves.toBe('.NET tool');
    await expect(page.getByRole('tabpanel').first().innerText()).resolves.toContain(
      'dotnet tool install --global Contoso.Cli --version 3.1.0',
    );
  });

  it('a missing package: a 404 page with a search box', async () => {
    const page = await suite.open();
    const response = await page.goto(`${suite.feed.origin}/packages/No.Such.Package`);
    expect(response?.status()).toBe(404);
    await expect(page.locator('#missing-q').inputValue()).resolves.toBe('No.Such.Package');
    await expectAccessible(page);
  });

  for (const [colorScheme, width] of [
    ['dark', 1280],
    ['light', 375],
    ['dark', 375],
  ] as const) {
    it(`every page at ${width} px, ${colorScheme}: fits the width and passes axe`, async () => {
      const page = await suite.open({ colorScheme, width });
      for (const path of ['/', '/packages?q=contoso', '/packages/Contoso.Widgets']) {
        await page.goto(`${suite.feed.origin}${path}`);
        expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(width);
        await expectAccessible(page);
      }
    });
  }
});
