/**
 * A deprecated and vulnerable version's package page in Chromium (issue 15): the banners pass
 * axe and fit a phone in both palettes, and a hostile deprecation message runs nothing.
 */
import { describe, expect, it } from 'vitest';
import { METADATA_PAYLOADS } from '../gallery/xssPayloads';
import { expectAccessible, hasChromium, useGallery } from './page';

const PAGE = '/packages/Contoso.Widgets/1.0.0';

describe.skipIf(!hasChromium)('deprecation and advisory banners in Chromium', () => {
  const suite = useGallery(async (feed) => {
    const admin = async (method: string, path: string, body: unknown) => {
      const response = await fetch(`${feed.origin}${path}`, {
        method,
        headers: { 'X-NuGet-ApiKey': feed.apiKey, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    };
    await admin('POST', '/admin/deprecations', {
      id: 'Contoso.Widgets',
      versions: '1.0.0',
      reasons: ['legacy', 'critical-bugs'],
      message: `Superseded by 2.0.0.\n${METADATA_PAYLOADS.join('\n')}`,
      alternatePackage: { id: 'Contoso.Core', range: '[1.2.0, )' },
    });
    const advisory = 'https://github.com/advisories/GHSA-aaaa-bbbb-cccc-with-a-rather-long-path-that-must-wrap';
    await admin('PUT', '/admin/advisories', {
      id: 'Contoso.Widgets',
      versions: '[1.0.0, 2.0.0)',
      severity: 'high',
      url: advisory,
    });
  });

  it('shows both banners and runs nothing from the message', async () => {
    const page = await suite.open();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    expect((await page.goto(`${suite.feed.origin}${PAGE}`))?.status()).toBe(200);
    await expect(page.locator('.notice-deprecated').innerText()).resolves.toContain(
      'This version is deprecated: it is no longer maintained (legacy) and it has critical bugs.',
    );
    await expect(page.locator('.notice-message').innerText()).resolves.toContain(METADATA_PAYLOADS[0]!);
    await expect(page.locator('.notice-deprecated a').getAttribute('href')).resolves.toBe(
      `${suite.feed.origin}/packages/Contoso.Core`,
    );
    const advisory = page.locator('.notice-vulnerable a');
    await expect(advisory.getAttribute('rel')).resolves.toBe('noopener noreferrer');
    await expect(page.locator('.notice-vulnerable li').innerText()).resolves.toMatch(/^High severity: https:\/\//);
    expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss ?? null)).toBeNull();
    expect(dialogs).toEqual([]);
    const marks = page.locator('table.versions tr[aria-current=page] .badge');
    expect(await marks.allInnerTexts()).toEqual(['This version', 'Deprecated', 'Vulnerable']);
  });

  for (const [colorScheme, width] of [
    ['light', 1280],
    ['dark', 1280],
    ['light', 375],
    ['dark', 375],
  ] as const) {
    it(`at ${width} px, ${colorScheme}: fits the width and passes axe`, async () => {
      const page = await suite.open({ colorScheme, width });
      await page.goto(`${suite.feed.origin}${PAGE}`);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      await expectAccessible(page);
    });
  }
});
