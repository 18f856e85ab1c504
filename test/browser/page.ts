/** Shared set-up of the browser suite: one feed, seeded; one Chromium; and the checks each page gets. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { existsSync } from 'node:fs';
import { CHROMIUM_PATH, launchChromium } from '../../devkit/chromium.mjs';
import { type Feed, startFeed } from '../../devkit/feed.mjs';
import { seedGallery } from '../../devkit/gallerySeed.mjs';

/** Whether Chromium is installed: the browser suite is skipped locally without it, and fails on CI. */
export const hasChromium = existsSync(CHROMIUM_PATH);
if (!hasChromium && process.env.CI) {
  // On CI a skipped browser suite would look like a pass: a broken machine set-up must fail the run.
  throw new Error(`The browser tests need Chromium at ${CHROMIUM_PATH}; .ci/run installs Debian's chromium package.`);
}
if (!hasChromium)
  console.warn(`[browser suite] no Chromium at ${CHROMIUM_PATH}: skipping the browser tests (on CI this fails).`);

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface BrowserSuite {
  readonly feed: Feed;
  readonly browser: Browser;
  /** A fresh context and page (clipboard allowed); closed after the file. */
  open(options?: { colorScheme?: 'light' | 'dark'; width?: number }): Promise<Page>;
}

/** Registers beforeAll/afterAll; `extra` runs after the seed (more packages for one file). */
export function useGallery(extra?: (feed: Feed) => Promise<void>): BrowserSuite {
  const contexts: BrowserContext[] = [];
  const suite = {
    async open({ colorScheme = 'light', width = 1280 } = {}) {
      const context = await suite.browser.newContext({
        viewport: { width, height: 900 },
        colorScheme,
        permissions: ['clipboard-read', 'clipboard-write'],
      });
      contexts.push(context);
      return context.newPage();
    },
  } as BrowserSuite & { feed: Feed; browser: Browser };
  beforeAll(async () => {
    const [feed, browser] = await Promise.all([startFeed({ apiKey: 'browser-test-key' }), launchChromium()]);
    Object.assign(suite, { feed, browser });
    await seedGallery(feed);
    await extra?.(feed);
  });
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await suite.browser?.close();
    await suite.feed?.stop();
  });
  return suite;
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/** axe-core's scan of the page as it is now: no serious or critical violation. */
export async function expectAccessible(page: Page): Promise<void> {
  // Evaluated over the DevTools protocol, which the page's CSP does not govern (an added <script> would be refused).
  await page.evaluate(`${axeSource};0`);
  const violations = (await page.evaluate(
    `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations)`,
  )) as AxeViolation[];
  const grave = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} at ${JSON.stringify(v.nodes.map((n) => n.target))}`);
  expect(grave, page.url()).toEqual([]);
}
