/**
 * The package page's deprecation and vulnerability banners and the versions table's marks
 * (issue 15), with deprecations and advisories recorded through the admin API as an operator
 * would; hostile text in the owner's message and in an advisory URL stays inert.
 */
import { createExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import worker from '../../src/index';
import { escapeHtml } from '../../src/gallery/html';
import { advisoryNotice, deprecationNotice } from '../../src/gallery/notices';
import { buildNupkg, pushRequest, TEST_API_KEY } from '../support/nupkg';
import { expectInert } from './inert';
import { links, page, script, send } from './seed';
import { METADATA_PAYLOADS } from './xssPayloads';

const MESSAGE = `Moved.\n${METADATA_PAYLOADS.join('\n')}\n</p></div><a href="javascript:window.__xss=1">x</a>`;
const HIGH = 'https://advisories.example/GHSA-0001?from=feed&q="><script>window.__xss=1</script>';
const CRITICAL = 'https://advisories.example/GHSA-0002';

async function admin(method: string, path: string, body: unknown): Promise<void> {
  const response = await send(path, undefined, {
    method,
    headers: { 'X-NuGet-ApiKey': TEST_API_KEY, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status, `${method} ${path}: ${await response.clone().text()}`).toBe(200);
}

/** The versions table's row of `version`. */
function row(html: string, version: string): string {
  const rows = html.slice(html.indexOf('<table class="versions">'), html.indexOf('</table>')).split('<tr');
  return rows.find((r) => r.includes(`>${version}</a></th>`)) ?? '';
}

beforeAll(async () => {
  for (const [id, version] of [
    ['Gallery.Legacy', '1.0.0'],
    ['Gallery.Legacy', '1.5.0'],
    ['Gallery.Legacy', '2.0.0'],
    ['Gallery.Successor', '3.0.0'],
  ] as const) {
    const response = await worker.fetch(pushRequest(buildNupkg({ id, version })), env, createExecutionContext());
    expect(response.status, `push ${id} ${version}`).toBe(201);
  }
  await admin('POST', '/admin/deprecations', {
    id: 'Gallery.Legacy',
    versions: '1.0.0',
    reasons: ['legacy', 'critical-bugs'],
    message: MESSAGE,
    alternatePackage: { id: 'Gallery.Successor', range: '[3.0.0, )' },
  });
  await admin('POST', '/admin/deprecations', {
    id: 'Gallery.Legacy',
    versions: '1.5.0',
    reasons: 'other',
    alternatePackage: { id: 'Gallery.Nowhere' },
  });
  await admin('PUT', '/admin/advisories', {
    id: 'Gallery.Legacy',
    versions: '[1.0.0, 2.0.0)',
    severity: 'high',
    url: HIGH,
  });
  await admin('PUT', '/admin/advisories', {
    id: 'Gallery.Legacy',
    versions: '1.0.0',
    severity: 'critical',
    url: CRITICAL,
  });
});

describe('deprecated and vulnerable versions', () => {
  it('shows why a version is deprecated, the owner’s message escaped, and the alternate linked', async () => {
    const { response, html } = await page('/packages/Gallery.Legacy/1.0.0');
    expect(response.status).toBe(200);
    expect(html).toContain(
      '<p><strong>This version is deprecated:</strong> it is no longer maintained (legacy) and it has critical bugs.</p>',
    );
    expect(html).toContain(`<p class="notice-message">${escapeHtml(MESSAGE)}</p>`);
    expect(html).toContain(
      `<p>Use <a href="${links.packagePage('Gallery.Successor')}">Gallery.Successor</a> <span class="range">(&#62;= 3.0.0)</span> instead.</p>`,
    );
    expectInert(html, { script });
    expect(html).not.toContain('window.__xss=1"');
    expect(html).not.toMatch(/href="\s*javascript:/i);
  });

  it('lists each advisory affecting the version, most severe first, linked without a referrer', async () => {
    const { html } = await page('/packages/Gallery.Legacy/1.0.0');
    const banner = html.slice(html.indexOf('<div class="notice notice-vulnerable"'), html.indexOf('</ul>\n</div>'));
    expect(banner).toContain('<strong>This version has 2 known vulnerabilities:</strong>');
    const lines = banner.split('<li>').slice(1);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(
      `<span class="severity severity-critical">Critical severity</span>: <a href="${CRITICAL}" rel="noopener noreferrer">${CRITICAL}</a></li>`,
    );
    expect(lines[1]).toContain('<span class="severity severity-high">High severity</span>: <a href="https://');
    expect(lines[1]).toContain(`rel="noopener noreferrer">${escapeHtml(HIGH)}</a>`);
    // The link's target is the URL as parsed: the quote and angle brackets arrive percent-encoded.
    expect(lines[1]).toContain('href="https://advisories.example/GHSA-0001?from=feed&#38;q=%22%3E%3Cscript%3E');
  });

  it('names an alternate the feed does not have without linking it, and any version as such', async () => {
    const { html } = await page('/packages/Gallery.Legacy/1.5.0');
    expect(html).toContain('<p><strong>This version is deprecated:</strong> for other reasons.</p>');
    expect(html).toContain('<p>Use Gallery.Nowhere <span class="range">any version</span> instead.</p>');
    expect(html).not.toContain('notice-message');
    expect(html).toContain('<strong>This version has a known vulnerability:</strong>');
    expect(html).toContain('High severity');
    expect(html).not.toContain('Critical severity');
  });

  it('marks deprecated and vulnerable versions in the versions table', async () => {
    const { html } = await page('/packages/Gallery.Legacy/2.0.0');
    for (const version of ['1.0.0', '1.5.0']) {
      expect(row(html, version), version).toContain('<span class="badge badge-deprecated">Deprecated</span>');
      expect(row(html, version), version).toContain('<span class="badge badge-vulnerable">Vulnerable</span>');
    }
    expect(row(html, '2.0.0')).not.toContain('badge-deprecated');
    expect(row(html, '2.0.0')).not.toContain('badge-vulnerable');
  });

  it('shows no banner on a clean version, nor on another package', async () => {
    for (const path of ['/packages/Gallery.Legacy', '/packages/Gallery.Legacy/2.0.0', '/packages/Gallery.Successor']) {
      const { html } = await page(path);
      expect(html, path).toContain('<h1>');
      expect(html, path).not.toContain('notice-deprecated');
      expect(html, path).not.toContain('notice-vulnerable');
      expect(html, path).not.toContain('is deprecated');
      expectInert(html, { script });
    }
  });
});

describe('the banners on their own', () => {
  const advisory = (url: string, severity: number) =>
    ({ id: 'A', url, versions: '[1.0.0, )', severity }) as Parameters<typeof advisoryNotice>[1][number];

  it('links only http(s) advisory URLs and names a severity it does not know as unknown', () => {
    const html = advisoryNotice('1.0.0', [advisory('javascript:window.__xss=1', 2), advisory('https://a.example/', 7)]);
    expect(html).toContain('<span class="severity severity-high">High severity</span>: javascript:window.__xss=1</li>');
    expect(html).toContain('Unknown severity</span>: <a href="https://a.example/" rel="noopener noreferrer">');
    expect(html).not.toContain('href="javascript');
    expect(advisoryNotice('0.9.0', [advisory('https://a.example/', 2)])).toBe('');
    expect(advisoryNotice('not a version', [advisory('https://a.example/', 2)])).toBe('');
  });

  it('reads a reason it does not know as other, and nothing without a deprecation', () => {
    const unknown = { reasons: ['Sunset'] } as unknown as Parameters<typeof deprecationNotice>[1];
    expect(deprecationNotice(links, unknown, new Set())).toContain('</strong> for other reasons.</p>');
    expect(deprecationNotice(links, null, new Set())).toBe('');
  });
});
