import { describe, expect, it } from 'vitest';
import {
  hivePages,
  isPaged,
  MAX_INLINED_VERSIONS,
  MAX_PAGE_VERSIONS,
  type PageRow,
  type PageSummary,
  registrationCommit,
  shownAt,
} from '../../src/nuget/registrationLayout';

const summary = (count: number, generation: number, lower = '1.0.0', upper = '1.0.0'): PageSummary => ({
  count,
  lower,
  upper,
  touched: '2026-01-01T00:00:00.000Z',
  generation,
});

describe('the page caps (protocol §4.7)', () => {
  it('are 64 versions a page and 127 inlined', () => {
    expect([MAX_PAGE_VERSIONS, MAX_INLINED_VERSIONS]).toEqual([64, 127]);
  });
});

describe('hivePages', () => {
  // Rows in NuGet order of their versions, so page numbers need not ascend.
  const rows: PageRow[] = [
    { page: 0, semver1: summary(1, 3, '1.0.0', '1.0.0'), semver2: summary(2, 4, '1.0.0', '1.1.0-beta.1') },
    { page: 2, semver1: summary(1, 6, '1.2.0', '1.2.0'), semver2: summary(2, 8, '1.2.0', '2.0.0+build') },
    { page: 1, semver1: null, semver2: summary(2, 9, '3.0.0-rc.1', '3.0.0-rc.2') },
  ];
  const shape = (pages: ReturnType<typeof hivePages>) => pages.map((page) => [page.page, page.generation, page.count]);

  it("keeps every page at the SemVer 2 level, in the order of the rows, with that level's summary", () => {
    expect(shape(hivePages('semver2', rows))).toEqual([
      [0, 4, 2],
      [2, 8, 2],
      [1, 9, 2],
    ]);
    expect(hivePages('semver2', rows)[1]).toMatchObject({ lower: '1.2.0', upper: '2.0.0+build' });
  });

  it('leaves out, at the SemVer 1 level, pages that show no SemVer 1 version', () => {
    expect(shape(hivePages('semver1', rows))).toEqual([
      [0, 3, 1],
      [2, 6, 1],
    ]);
    expect(hivePages('semver1', [rows[2]!])).toEqual([]);
    expect(hivePages('semver2', [])).toEqual([]);
  });

  it('leaves out a page whose versions are all gone (a count of 0)', () => {
    const emptied: PageRow = { page: 7, semver1: summary(0, 99), semver2: summary(0, 99) };
    expect(hivePages('semver2', [...rows, emptied]).map((page) => page.page)).toEqual([0, 2, 1]);
  });
});

describe('shownAt and isPaged (protocol §4.8, §4.7)', () => {
  it('shows SemVer 2 versions only at the SemVer 2 level', () => {
    expect([shownAt('semver1', { isSemVer2: true }), shownAt('semver2', { isSemVer2: true })]).toEqual([false, true]);
    expect([shownAt('semver1', { isSemVer2: false }), shownAt('semver2', { isSemVer2: false })]).toEqual([true, true]);
  });

  /** `count` versions cut into pages of 64. */
  const paged = (count: number): PageRow[] =>
    Array.from({ length: Math.ceil(count / 64) }, (_, page) => {
      const onPage = summary(Math.min(64, count - page * 64), 1);
      return { page, semver1: onPage, semver2: onPage };
    });

  it.each([
    [1, false],
    [127, false],
    [128, true],
    [300, true],
  ])('pages %i versions: %s', (count, expected) => {
    expect(isPaged(hivePages('semver2', paged(count)))).toBe(expected);
  });

  it('counts what the level shows, so one id can be inlined at SemVer 1 and paged at SemVer 2', () => {
    const rows: PageRow[] = [
      { page: 0, semver1: summary(64, 1), semver2: summary(64, 1) },
      { page: 1, semver1: summary(36, 1), semver2: summary(64, 1) },
      { page: 2, semver1: null, semver2: summary(12, 1) },
    ];
    expect(isPaged(hivePages('semver1', rows))).toBe(false);
    expect(isPaged(hivePages('semver2', rows))).toBe(true);
  });
});

describe('registrationCommit', () => {
  const versions = ['2026-03-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z'];

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
    expect(registrationCommit('x', 1, ['']).commitTimeStamp).toBe('1970-01-01T00:00:00.000Z');
  });
});
