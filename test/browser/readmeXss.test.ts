/**
 * A README full of XSS payloads (test/gallery/xssPayloads.ts), rendered in real Chromium: no
 * dialog opens, no payload runs (each would set window.__xss), and the README holds no script,
 * frame, style or event-handler attribute. Hostile metadata is pushed too.
 */
import { describe, expect, it } from 'vitest';
import { pushSeedPackage } from '../../devkit/gallerySeed.mjs';
import { METADATA_PAYLOADS, README_PAYLOADS } from '../gallery/xssPayloads';
import { expectAccessible, hasChromium, useGallery } from './page';

const xmlText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

describe.skipIf(!hasChromium)('a hostile README in Chromium', () => {
  const suite = useGallery(async (feed) => {
    await pushSeedPackage(feed, {
      id: 'Xss.Readme',
      version: '1.0.0',
      description: xmlText(METADATA_PAYLOADS.join(' ')),
      // Push refuses non-http URLs itself; the worker tests put hostile URLs straight into D1.
      metadata: `<title>${xmlText(METADATA_PAYLOADS[0]!)}</title><tags>${xmlText(METADATA_PAYLOADS.join(' '))}</tags>`,
      readme: README_PAYLOADS.join('\n\n'),
    });
  });

  it('runs no script and injects no element', async () => {
    const page = await suite.open();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const response = await page.goto(`${suite.feed.origin}/packages/Xss.Readme`);
    expect(response?.status()).toBe(200);
    await page.waitForLoadState('networkidle');
    // Hover and click every link in the README: none may run anything.
    const links = page.locator('.readme a');
    for (let i = 0; i < (await links.count()); i++) {
      await links.nth(i).hover();
      expect(await links.nth(i).getAttribute('href')).toMatch(/^(https:\/\/|mailto:|#)/);
    }
    const found = await page.evaluate(() => {
      const readme = document.querySelector('.readme');
      const all = Array.from(document.querySelectorAll('*'));
      return {
        xss: (window as unknown as { __xss?: unknown }).__xss ?? null,
        readmeText: readme?.textContent ?? '',
        dangerous: readme?.querySelectorAll('script, iframe, style, svg, math, form, object, embed, details').length,
        handlers: all
          .filter((el) => Array.from(el.attributes).some((a) => /^on/i.test(a.name)))
          .map((el) => el.outerHTML),
        styled: readme?.querySelectorAll('[style]').length,
        scripts: Array.from(document.scripts).map((s) => s.src),
        images: Array.from(readme?.querySelectorAll('img') ?? []).map((img) => img.src),
      };
    });
    expect(dialogs).toEqual([]);
    expect(found.xss).toBeNull();
    expect(found.dangerous).toBe(0);
    expect(found.handlers).toEqual([]);
    expect(found.styled).toBe(0);
    expect(found.scripts).toEqual([`${suite.feed.origin}/_gallery/site.js`]);
    expect(found.images.filter((src) => !src.startsWith('https://'))).toEqual([]);
    // Raw HTML is shown as text, so the reader sees what the author wrote.
    expect(found.readmeText).toContain('<script>window.__xss=1</script>');
    expect(await page.locator('h1').innerText()).toContain('"><script>window.__xss=1</script>');
    await expectAccessible(page);
  });
});
