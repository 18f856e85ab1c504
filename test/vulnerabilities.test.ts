import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { vulnerabilityPage, type Advisory } from '../src/nuget/vulnerabilities';

const FEED = 'https://feed.test';
const get = (path: string) => exports.default.fetch(new Request(`${FEED}${path}`));

describe('VulnerabilityInfo routes', () => {
  it('serves an index of the base and updates pages (§8.1: zero pages is illegal)', async () => {
    const response = await get('/v3/vulnerabilities/index.json');
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toContain('application/json');
    const index = (await response.json()) as any[];
    expect(index).toEqual(
      ['base', 'updates'].map((name) => ({
        '@name': name,
        '@id': `${FEED}/v3/vulnerabilities/${name}.json`,
        '@updated': '1970-01-01T00:00:00.000Z',
        comment: expect.any(String),
      })),
    );
    for (const page of index) {
      expect(page['@name']).toMatch(/^[A-Za-z0-9_-]{1,32}$/);
      expect(Number.isNaN(Date.parse(page['@updated']))).toBe(false);
    }
  });

  it('serves a page without advisories as an empty object, not an array', async () => {
    for (const name of ['base', 'updates']) {
      const response = await get(`/v3/vulnerabilities/${name}.json`);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('{}');
    }
  });

  it('answers 404 for other page names', async () => {
    expect((await get('/v3/vulnerabilities/other.json')).status).toBe(404);
    expect((await get('/v3/vulnerabilities/Base.json')).status).toBe(404);
  });
});

describe('vulnerabilityPage builder', () => {
  const advisory = (id: string, versions: string, url: string, severity: Advisory['severity'] = 1): Advisory => ({
    id,
    versions,
    url,
    severity,
  });

  it('keys advisories by lowercased id with integer severities', () => {
    const page = vulnerabilityPage([
      advisory('Contoso.Widgets', '[1.0.0, 1.4.1)', 'https://a.test/1', 2),
      advisory('contoso.widgets', '[2.0.0, 2.0.3)', 'https://a.test/2', 3),
      advisory('Fabrikam.Core', '(, 1.0.0)', 'https://a.test/3', 0),
    ]);
    expect(Object.keys(page)).toEqual(['contoso.widgets', 'fabrikam.core']);
    expect(page['fabrikam.core']).toEqual([{ url: 'https://a.test/3', severity: 0, versions: '(, 1.0.0)' }]);
    expect(page['contoso.widgets']?.map((e) => e.severity)).toEqual([3, 2]);
  });

  it('sorts by max descending, then min descending, then url, unbounded first (§8.1)', () => {
    const page = vulnerabilityPage([
      advisory('A', '[1.0.0, 2.0.0)', 'https://a.test/z'),
      advisory('A', '[1.0.0, 2.0.0)', 'https://a.test/b'),
      advisory('A', '[1.5.0, 2.0.0)', 'https://a.test/c'),
      advisory('A', '(, 2.0.0)', 'https://a.test/d'),
      advisory('A', '[3.0.0, )', 'https://a.test/e'),
      advisory('A', '[1.0.0, 10.0.0)', 'https://a.test/f'),
      advisory('A', '[0.5.0]', 'https://a.test/g'),
      advisory('A', '0.1.0', 'https://a.test/h'),
    ]);
    expect(page.a?.map((e) => e.url.slice(-1))).toEqual(['e', 'h', 'f', 'd', 'c', 'b', 'z', 'g']);
  });

  it('is {} without advisories', () => {
    expect(JSON.stringify(vulnerabilityPage([]))).toBe('{}');
  });
});
