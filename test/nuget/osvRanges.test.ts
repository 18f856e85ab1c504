/** OSV version ranges read into NuGet ranges: introduced, fixed, last_affected, limit, exact versions. */
import { describe, expect, it } from 'vitest';
import { plain, range, read, reasonsOf, versionsOf } from './osvFixtures';

describe('ranges', () => {
  it('turns introduced/fixed pairs into half-open ranges, one advisory per pair', () => {
    const events = [{ introduced: '1.0' }, { fixed: '1.2.3' }, { introduced: '2.0.0-beta.1' }, { fixed: '2.0.1' }];
    expect(versionsOf(plain({ ranges: [range(...events)] }))).toEqual(['[1.0.0, 1.2.3)', '[2.0.0-beta.1, 2.0.1)']);
  });

  it('reads every range of an entry, SEMVER as well as ECOSYSTEM', () => {
    const ranges = [
      range({ introduced: '1.0.0' }, { fixed: '1.1.0' }),
      { ...range({ introduced: '3.0.0' }), type: 'SEMVER' },
    ];
    expect(versionsOf(plain({ ranges }))).toEqual(['[1.0.0, 1.1.0)', '[3.0.0, )']);
  });

  it('closes last_affected inclusively', () => {
    expect(versionsOf(plain({ ranges: [range({ introduced: '1.0.0' }, { last_affected: '1.4.0' })] }))).toEqual([
      '[1.0.0, 1.4.0]',
    ]);
    expect(versionsOf(plain({ ranges: [range({ introduced: '0' }, { last_affected: '1.4.0' })] }))).toEqual([
      '(, 1.4.0]',
    ]);
  });

  it('ends a limit like a fixed version', () => {
    expect(versionsOf(plain({ ranges: [range({ introduced: '1.0.0' }, { limit: '2.0.0' })] }))).toEqual([
      '[1.0.0, 2.0.0)',
    ]);
  });

  it('leaves an interval with nothing after its introduced open above', () => {
    expect(versionsOf(plain({ ranges: [range({ introduced: '4.1' })] }))).toEqual(['[4.1.0, )']);
    expect(versionsOf(plain({ ranges: [range({ introduced: '0' })] }))).toEqual(['(, )']);
  });

  it('writes ranges in the normalized form, so equal ranges are equal text', () => {
    const events = [{ introduced: '01.0' }, { fixed: '1.04.1.0' }];
    expect(versionsOf(plain({ ranges: [range(...events)] }))).toEqual(['[1.0.0, 1.4.1)']);
  });

  it('skips a GIT range or one of an unknown type, keeping the entry', () => {
    const git = { type: 'GIT', repo: 'https://github.com/contoso/lib', events: [{ introduced: 'abc123' }] };
    const record = read(plain({ ranges: [git, { type: 'ZZZ', events: [] }, range({ introduced: '1.0.0' })] }));
    expect(record.advisories.map((a) => a.versions)).toEqual(['[1.0.0, )']);
    expect(record.skipped).toEqual([
      { packageId: 'Contoso.Lib', reason: expect.stringMatching(/^affected\[0\]: ranges\[0\]: GIT/) },
      { packageId: 'Contoso.Lib', reason: expect.stringMatching(/^affected\[0\]: ranges\[1\]: .*"ZZZ"/) },
    ]);
  });

  it('skips a range naming a version NuGet cannot parse, keeping the others', () => {
    const ranges = [
      range({ introduced: '1.0.0' }, { fixed: 'v2' }),
      range({ introduced: '3.0.0' }, { fixed: '3.1.0' }),
    ];
    const record = read(plain({ ranges }));
    expect(record.advisories.map((a) => a.versions)).toEqual(['[3.0.0, 3.1.0)']);
    expect(record.skipped.map((s) => s.reason)).toEqual(['affected[0]: ranges[0]: "v2" is not a NuGet version']);
  });

  it.each([
    ['a fixed with no introduced', [{ fixed: '1.0.0' }], /fixed "1.0.0" closes no introduced/],
    ['two introduced in a row', [{ introduced: '1.0.0' }, { introduced: '2.0.0' }], /introduced "2.0.0" follows/],
    ['bounds out of order', [{ introduced: '2.0.0' }, { fixed: '1.0.0' }], /\[2.0.0, 1.0.0\) holds no version/],
    ['an empty fixed range', [{ introduced: '1.0.0' }, { fixed: '1.0.0' }], /holds no version/],
    ['no events', [], /introduce no version/],
  ])('skips a range with %s', (_, events, reason) => {
    const record = read(plain({ ranges: [range(...events)] }));
    expect(record.advisories).toEqual([]);
    expect(record.skipped.map((s) => s.reason)).toEqual([expect.stringMatching(reason)]);
  });

  it('uses explicit versions as exact ranges when no range can be read', () => {
    const git = { type: 'GIT', repo: 'https://github.com/contoso/lib', events: [{ introduced: 'abc123' }] };
    const record = read(plain({ ranges: [git], versions: ['1.0', '1.1.0-rc.1', 'not-a-version'] }));
    expect(record.advisories.map((a) => a.versions)).toEqual(['[1.0.0, 1.0.0]', '[1.1.0-rc.1, 1.1.0-rc.1]']);
    expect(record.skipped.map((s) => s.reason)).toEqual([
      expect.stringMatching(/ranges\[0\]: GIT/),
      'affected[0]: versions: "not-a-version" is not a NuGet version',
    ]);
  });

  it('does not repeat explicit versions that readable ranges already cover', () => {
    const document = plain({
      ranges: [range({ introduced: '1.0.0' }, { fixed: '1.2.0' })],
      versions: ['1.0.0', '1.1.0'],
    });
    expect(versionsOf(document)).toEqual(['[1.0.0, 1.2.0)']);
  });

  it('skips an entry with neither ranges nor versions', () => {
    expect(reasonsOf(plain({}))).toEqual(['affected[0]: no ranges and no versions']);
  });
});
