/**
 * `npm run screenshots`: PNGs of the gallery's main pages (home, search results, a package page),
 * light and dark, at desktop and phone width, from a fresh `wrangler dev` with the seed packages,
 * written to docs/screenshots/ (or the folder given as the first argument).
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { launchChromium } from './chromium.mjs';
import { repoRoot, startFeed } from './feed.mjs';
import { seedGallery } from './gallerySeed.mjs';

const folder = resolve(process.argv[2] ?? join(repoRoot, 'docs', 'screenshots'));
const pages = [
  ['home', '/'],
  ['search', '/packages?q=contoso'],
  ['package', '/packages/Contoso.Widgets'],
];
const widths = [
  ['desktop', 1280, 900],
  ['phone', 390, 844],
];

mkdirSync(folder, { recursive: true });
const feed = await startFeed({ apiKey: 'screenshots-key' });
const browser = await launchChromium();
try {
  await seedGallery(feed);
  for (const colorScheme of /** @type {const} */ (['light', 'dark'])) {
    for (const [device, width, height] of widths) {
      const context = await browser.newContext({
        viewport: { width: Number(width), height: Number(height) },
        colorScheme,
        deviceScaleFactor: device === 'phone' ? 2 : 1,
      });
      const page = await context.newPage();
      for (const [name, path] of pages) {
        await page.goto(`${feed.origin}${path}`, { waitUntil: 'networkidle' });
        const file = join(folder, `${name}-${colorScheme}-${device}.png`);
        await page.screenshot({ path: file });
        console.log(file);
      }
      await context.close();
    }
  }
} finally {
  await browser.close();
  await feed.stop();
}
