/**
 * versionSortKey must order exactly as compareVersions: search picks an id's latest version in
 * SQL by it (src/store/searchIndex.ts) and sorts a hit's versions by it.
 */
import { describe, expect, it } from 'vitest';
import order from '../fixtures/conformance/versions-order.json';
import valid from '../fixtures/conformance/versions-valid.json';
import { compareVersions, type NuGetVersion, parseVersion, versionSortKey } from '../../src/nuget/version';

const byKey = (a: NuGetVersion, b: NuGetVersion) => {
  const [x, y] = [versionSortKey(a), versionSortKey(b)];
  return x < y ? -1 : x > y ? 1 : 0;
};

/** Boundaries of every rule: part widths, Int32 limits, negative and oversized numeric labels, casing, prefixes. */
const tricky = [
  '0.0.0',
  '0.0.0.1',
  '1',
  '1.0.0.0',
  '9.0',
  '10.0',
  '99.99.99.99',
  '2147483647.2147483647.2147483647.2147483647',
  '1.0.0-0',
  '1.0.0--1',
  '1.0.0--5',
  '1.0.0--05',
  '1.0.0--2147483648',
  '1.0.0--2147483649',
  '1.0.0-2147483647',
  '1.0.0-2147483648',
  '1.0.0-99999999999',
  '1.0.0-1',
  '1.0.0-9',
  '1.0.0-10',
  '1.0.0-a',
  '1.0.0-A',
  '1.0.0-a0',
  '1.0.0-a.1',
  '1.0.0-a.1.1',
  '1.0.0-a.b',
  '1.0.0-a-',
  '1.0.0--',
  '1.0.0-Z',
  '1.0.0-z',
  '1.0.0-zz',
  '1.0.0-ALPHA',
  '1.0.0-alpha1',
  '1.0.0-alpha10',
  '1.0.0-alpha2',
  '1.0.0-alpha.1',
  '1.0.0-alpha.beta',
  '1.0.0-beta.2',
  '1.0.0-beta.11',
  '1.0.0-rc.1',
  '1.0.0-rc.1+build',
  '1.0.0+meta',
  '1.0.0',
  '1.0.1-rc',
  '1.0.1',
  '1.0.10',
  '1.0.9',
  '1.1',
  '2.0.0-x.0.-1',
];

function versions(): NuGetVersion[] {
  const texts = [...tricky, ...(valid as { input: string }[]).map((v) => v.input), ...order.flatMap((o) => [o.a, o.b])];
  return [...new Set(texts)].map(parseVersion).filter((v): v is NuGetVersion => v !== null);
}

describe('versionSortKey', () => {
  it('orders every pair of known versions as compareVersions does', () => {
    const all = versions();
    expect(all.length).toBeGreaterThan(100);
    for (const a of all) {
      for (const b of all)
        expect(byKey(a, b), `${a.originalVersion} vs ${b.originalVersion}`).toBe(compareVersions(a, b));
    }
  });

  it('is printable ASCII and never a prefix of another key', () => {
    const keys = [...new Set(versions().map(versionSortKey))];
    for (const key of keys) expect(key).toMatch(/^[\x21-\x7e]+$/);
    for (const a of keys) for (const b of keys) if (a !== b) expect(b.startsWith(a), `${a} / ${b}`).toBe(false);
  });
});
