import { describe, expect, it } from 'vitest';
import {
  hivePages,
  isPaged,
  MAX_INLINED_VERSIONS,
  MAX_PAGE_VERSIONS,
  registrationCommit,
  type RegistrationVersion,
  shownAt,
} from '../../src/nuget/registrationLayout';

const version = (text: string, page: number, overrides: Partial<RegistrationVersion> = {}): RegistrationVersion => ({
  lowerVersion: text.toLowerCase(),
  version: text,
  page,
  isSemVer2: false,
  touched: '2026-01-01T00:00:00.000Z',
  ...overrides,
});
const run = (count: number, page: (i: number) => number, isSemVer2 = false) =>
  Array.from({ length: count }, (_, i) => version(isSemVer2 ? `2.0.0-rc.${i}` : `1.0.${i}`, page(i), { isSemVer2 }));

describe('the page caps (protocol §4.7)', () => {
  it('are 64 versions a page and 127 inlined', () => {
    expect([MAX_PAGE_VERSIONS, MAX_INLINED_VERSIONS]).toEqual([64, 127]);
  });
});

describe('hivePages', () => {
  const versions = [
    version('1.0.0', 0),
    version('1.1.0-beta.1', 0, { isSemVer2: true }),
    version('1.2.0', 2),
    version('2.0.0+build', 2, { isSemVer2: true }),
    version('3.0.0-rc.1', 1, { isSemVer2: true }),
    version('3.0.0-rc.2', 1, { isSemVer2: true }),
  ];
  const generations = [
    { page: 0, semver1: 3, semver2: 4 },
    { page: 1, semver1: 1, semver2: 9 },
    { page: 2, semver1: 6, semver2: 8 },
  ];
  const summary = (pages: ReturnType<typeof hivePages>) =>
    pages.map((page) => [page.page, page.generation, page.versions.map((v) => v.version)]);

  it('keeps every version at the SemVer 2 level, pages in version order by their stable numbers', () => {
    expect(summary(hivePages('semver2', versions, generations, 10))).toEqual([
      [0, 4, ['1.0.0', '1.1.0-beta.1']],
      [2, 8, ['1.2.0', '2.0.0+build']],
      [1, 9, ['3.0.0-rc.1', '3.0.0-rc.2']],
    ]);
  });

  it('leaves SemVer 2 versions out at the SemVer 1 level, and pages left empty', () => {
    expect(summary(hivePages('semver1', versions, generations, 10))).toEqual([
      [0, 3, ['1.0.0']],
      [2, 6, ['1.2.0']],
    ]);
    expect(
      hivePages(
        'semver1',
        versions.filter((v) => v.isSemVer2),
        generations,
        10,
      ),
    ).toEqual([]);
    expect(hivePages('semver2', [], generations, 10)).toEqual([]);
  });

  it('counts a page without a registration_pages row as changed at the fallback generation', () => {
    const rows = generations.filter((row) => row.page !== 2);
    expect(hivePages('semver2', versions, rows, 10).map((page) => page.generation)).toEqual([4, 10, 9]);
    expect(hivePages('semver1', versions, [], 10).map((page) => page.generation)).toEqual([10, 10]);
  });

  it('ignores rows of pages no version is on', () => {
    const rows = [...generations, { page: 7, semver1: 99, semver2: 99 }];
    expect(hivePages('semver2', versions, rows, 10).map((page) => page.page)).toEqual([0, 2, 1]);
  });
});

describe('shownAt and isPaged (protocol §4.8, §4.7)', () => {
  it('shows SemVer 2 versions only at the SemVer 2 level', () => {
    const semver2 = version('1.0.0-a.b', 0, { isSemVer2: true });
    expect([shownAt('semver1', semver2), shownAt('semver2', semver2)]).toEqual([false, true]);
    expect([shownAt('semver1', version('1.0.0', 0)), shownAt('semver2', version('1.0.0', 0))]).toEqual([true, true]);
  });

  it.each([
    [1, false],
    [127, false],
    [128, true],
    [300, true],
  ])('pages %i versions: %s', (count, paged) => {
    expect(
      isPaged(
        hivePages(
          'semver2',
          run(count, (i) => Math.floor(i / 64)),
          [],
          0,
        ),
      ),
    ).toBe(paged);
  });

  it('counts what the level shows, so one id can be inlined at SemVer 1 and paged at SemVer 2', () => {
    const versions = [...run(100, (i) => Math.floor(i / 64)), ...run(40, (i) => Math.floor((100 + i) / 64), true)];
    expect(isPaged(hivePages('semver1', versions, [], 0))).toBe(false);
    expect(isPaged(hivePages('semver2', versions, [], 0))).toBe(true);
  });
});

describe('registrationCommit', () => {
  const versions = [
    version('1.0.0', 0, { touched: '2026-03-01T00:00:00.000Z' }),
    version('2.0.0', 0, { touched: '2026-02-01T00:00:00.000Z' }),
  ];

  it('is derived from the generation and the newest touched time, deterministically', () => {
    const commit = registrationCommit('contoso.widgets', 7, versions);
    expect(commit).toEqual(registrationCommit('contoso.widgets', 7, [...versions].reverse()));
    expect(commit.commitTimeStamp).toBe('2026-03-01T00:00:00.000Z');
    expect(commit.commitId).toMatch(/^[0-9a-f]{8}-0000-8000-8000-000000000007$/);
    expect(registrationCommit('contoso.widgets', 255, versions).commitId).toMatch(/-0000000000ff$/);
    expect(registrationCommit('contoso.widgets', 8, versions).commitId).not.toBe(commit.commitId);
    expect(registrationCommit('other', 7, versions).commitId).not.toBe(commit.commitId);
    expect(registrationCommit('other', 7, versions).commitId.slice(-12)).toBe(commit.commitId.slice(-12));
  });

  it('clamps a negative generation and takes the epoch for no (or unparsable) times', () => {
    expect(registrationCommit('x', -1, versions).commitId).toMatch(/-000000000000$/);
    expect(registrationCommit('x', 1, []).commitTimeStamp).toBe('1970-01-01T00:00:00.000Z');
    expect(registrationCommit('x', 1, [version('1.0.0', 0, { touched: '' })]).commitTimeStamp).toBe(
      '1970-01-01T00:00:00.000Z',
    );
  });
});
