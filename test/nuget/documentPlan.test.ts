import { describe, expect, it } from 'vitest';
import { storedHiveOf, storedLinks } from '../../src/links';
import type { PackageRegistration } from '../../src/nuget/types';
import { pagesOf, registrationIndex, registrationPage } from '../../src/nuget/registration';
import {
  changedKeys,
  changedSince,
  documentsOf,
  documentText,
  isEmptyPlan,
  planOf,
  pagesNeeded,
  storedOfId,
} from '../../src/documents/plan';
import { documentKeys, type StoredDocument } from '../../src/store/documents';
import { versionRecord } from '../support/records';
import { buildLayout, versionRun } from './registrationFixtures';

const registration: PackageRegistration = { lowerId: 'contoso.plan', id: 'Contoso.Plan', generation: 4 };
const small = buildLayout(registration, [
  versionRecord('Contoso.Plan', '1.0.0'),
  versionRecord('Contoso.Plan', '2.0.0-beta'),
]);
const flat = documentKeys.versionsIndex('contoso.plan');
const index1 = documentKeys.registrationIndex('semver1', 'contoso.plan');
const index2 = documentKeys.registrationIndex('semver2', 'contoso.plan');
const page = (level: 'semver1' | 'semver2', n: number) => documentKeys.registrationPage(level, 'contoso.plan', n);
const stored = (name: string, generation: number, etag?: string): StoredDocument => ({ name, generation, etag });
const generationsOf = (target: ReturnType<typeof documentsOf>) =>
  Object.fromEntries([...target.documents].map(([name, document]) => [name, document.generation]));

// 100 SemVer 1 versions then 40 SemVer 2: pages 0, 1 and 2 (SemVer 2 only). The SemVer 2 level
// (140) is paged, the SemVer 1 level (100) inlined. Registration generation 9.
const mixed = buildLayout(
  { ...registration, generation: 9 },
  [...versionRun('Contoso.Plan', 100), ...versionRun('Contoso.Plan', 40, 'semver2', 2)],
  { generations: { 0: { semver1: 2, semver2: 3 }, 1: { semver1: 5, semver2: 9 }, 2: { semver1: 9, semver2: 7 } } },
);

describe('documentsOf: the documents an id needs', () => {
  it('is the flat list and each level’s registration index at the registration generation', () => {
    const target = documentsOf(small.layout);
    expect(target.generation).toBe(4);
    expect(generationsOf(target)).toEqual({ [flat]: 4, [index1]: 4, [index2]: 4 });
    expect([...target.documents.values()].map((document) => document.recipe.kind)).toEqual([
      'versionsIndex',
      'registrationIndex',
      'registrationIndex',
    ]);
  });

  it('adds page documents only at paged levels, each at its page’s generation at that level', () => {
    const target = documentsOf(mixed.layout);
    expect(target.generation).toBe(9);
    expect(generationsOf(target)).toEqual({
      [flat]: 9,
      [index1]: 9,
      [index2]: 9,
      [page('semver2', 0)]: 3,
      [page('semver2', 1)]: 9,
      [page('semver2', 2)]: 7,
    });
    const both = documentsOf(
      buildLayout(registration, versionRun('Contoso.Plan', 130), { generations: { 1: { semver1: 1 } } }).layout,
    );
    expect(generationsOf(both)).toMatchObject({
      [page('semver1', 1)]: 1,
      [page('semver2', 1)]: 4,
      [page('semver1', 2)]: 4,
    });
    expect(both.documents.size).toBe(1 + 2 * 4);
  });

  it('is nothing for a vanished id, which outranks any stored generation', () => {
    expect(documentsOf(null)).toEqual({ generation: Number.POSITIVE_INFINITY, documents: new Map() });
  });

  it('has no document for an id without versions, and no SemVer 1 index when every version is SemVer 2', () => {
    expect(documentsOf(buildLayout(registration, []).layout).documents.size).toBe(0);
    const semver2 = documentsOf(buildLayout(registration, [versionRecord('Contoso.Plan', '1.0.0-a.b')]).layout);
    expect([...semver2.documents.keys()]).toEqual([flat, index2]);
  });
});

describe('planOf: what to write and delete', () => {
  const target = documentsOf(small.layout);

  it('writes missing and older documents, and deletes leftovers no newer than the id', () => {
    const old = 'registration/semver2/contoso.plan/page/1.0.0/2.0.0'; // the bounds-named keys before page numbers
    const plan = planOf(
      target,
      [stored(flat, 3), stored(index1, 4), stored(old, 2), stored(page('semver1', 0), 4)],
      false,
    );
    expect(plan).toEqual({ put: [flat, index2], remove: [old, page('semver1', 0)] });
  });

  it('compares each document with its own generation', () => {
    const target = documentsOf(mixed.layout);
    const current = [stored(flat, 9), stored(index1, 9), stored(index2, 9)];
    expect(
      planOf(
        target,
        [...current, stored(page('semver2', 0), 3), stored(page('semver2', 1), 8), stored(page('semver2', 2), 8)],
        false,
      ),
    ).toEqual({
      put: [page('semver2', 1)],
      remove: [],
    });
    const forced = planOf(target, [...current, stored(page('semver2', 0), 3), stored(page('semver2', 2), 8)], true);
    expect(forced.put).toEqual([flat, index1, index2, page('semver2', 0), page('semver2', 1)]);
  });

  it('never touches keys stored at a newer generation', () => {
    const newer = [stored(flat, 5), stored(index1, 5), stored(index2, 5), stored(page('semver1', 3), 5)];
    expect(isEmptyPlan(planOf(target, newer, false))).toBe(true);
    expect(isEmptyPlan(planOf(target, newer, true))).toBe(true);
  });

  it('rewrites keys of the same generation only when forced', () => {
    const same = [stored(flat, 4), stored(index1, 4), stored(index2, 4)];
    expect(isEmptyPlan(planOf(target, same, false))).toBe(true);
    expect(planOf(target, same, true).put).toEqual([flat, index1, index2]);
  });

  it('removes every document of a vanished id', () => {
    expect(
      planOf(documentsOf(null), [stored(flat, 9), stored(index1, 9), stored(page('semver2', 0), -1)], false),
    ).toEqual({
      put: [],
      remove: [flat, index1, page('semver2', 0)],
    });
  });
});

describe('pagesNeeded: whose full records a plan’s documents take', () => {
  const target = documentsOf(mixed.layout);

  it('is a page document’s page, every page of an inlined index, and none for a paged index or the flat list', () => {
    expect(pagesNeeded(target, [page('semver2', 2)])).toEqual([2]);
    expect(pagesNeeded(target, [index1])).toEqual([0, 1]);
    expect(pagesNeeded(target, [index2, flat, 'registration/semver2/contoso.plan/unknown'])).toEqual([]);
  });

  it('names each page once across documents', () => {
    expect(pagesNeeded(target, [index1, page('semver2', 0), page('semver2', 1)])).toEqual([0, 1]);
  });
});

describe('changedSince: what a push’s rebuild looks at', () => {
  const target = documentsOf(mixed.layout);

  it('keeps only documents stamped at that generation or later', () => {
    expect(generationsOf(changedSince(target, 8))).toEqual({
      [flat]: 9,
      [index1]: 9,
      [index2]: 9,
      [page('semver2', 1)]: 9,
    });
    expect(generationsOf(changedSince(target, 4))).toEqual({
      ...generationsOf(changedSince(target, 8)),
      [page('semver2', 2)]: 7,
    });
    expect(changedSince(target, 10).documents.size).toBe(0);
    expect(changedSince(target, 8).generation).toBe(9);
  });
});

describe('documentText: a planned document’s JSON', () => {
  const links = storedLinks();

  it('builds each recipe against the stored origin in its level’s stored hive', () => {
    const target = documentsOf(mixed.layout);
    const text = (name: string) => JSON.parse(documentText(target.documents.get(name)!, mixed.layout, mixed.content));
    expect(text(flat).versions).toHaveLength(140);
    expect(text(index1)).toEqual(
      JSON.parse(JSON.stringify(registrationIndex(links, storedHiveOf('semver1'), mixed.layout, mixed.content))),
    );
    expect(text(index2)).toEqual(JSON.parse(JSON.stringify(registrationIndex(links, 'semver2-gz', mixed.layout))));
    const hivePage = pagesOf('semver2-gz', mixed.layout)[1]!;
    expect(text(page('semver2', 1))).toEqual(
      JSON.parse(
        JSON.stringify(registrationPage(links, 'semver2-gz', mixed.layout.registration, hivePage, mixed.content)),
      ),
    );
    expect(text(index2).items[0]['@id']).toBe(
      'https://edgeget.invalid/v3/registration-gz-semver2/contoso.plan/page/0.json',
    );
  });

  it('builds a page from only the pages pagesNeeded names', () => {
    const target = documentsOf(mixed.layout);
    const name = page('semver2', 2);
    const pageVersions = new Map(pagesNeeded(target, [name]).map((n) => [n, mixed.content.pageVersions.get(n)!]));
    const needed = new Set([...pageVersions.values()].flat());
    const records = new Map([...mixed.content.records].filter(([version]) => needed.has(version)));
    const built = JSON.parse(
      documentText(target.documents.get(name)!, mixed.layout, {
        records,
        catalogLeaves: new Map(),
        pageVersions,
        advisories: [],
      }),
    );
    expect(built.count).toBe(12);
    expect(built.items).toHaveLength(12);
  });
});

describe('changedKeys: what to purge', () => {
  it('is the written keys whose content hash changed, and the removed ones', () => {
    const plan = { put: [flat, index1], remove: ['gone'] };
    const etags = new Map([
      [flat, 'same'],
      [index1, 'new'],
    ]);
    expect(changedKeys(plan, [stored(flat, 3, 'same'), stored(index1, 3, 'old')], etags)).toEqual([index1, 'gone']);
  });
});

describe('storedOfId: an id’s keys within a sorted listing', () => {
  it('finds the flat list exactly and the registration keys by prefix, not those of longer ids', () => {
    const all = [
      stored(documentKeys.versionsIndex('contoso.plan'), 1),
      stored(documentKeys.versionsIndex('contoso.plan.extra'), 1),
      stored(documentKeys.registrationIndex('semver1', 'contoso.plan'), 1),
      stored(documentKeys.registrationIndex('semver1', 'contoso.plan.extra'), 1),
      stored(documentKeys.registrationPage('semver2', 'contoso.plan', 3), 1),
      stored(documentKeys.registrationPage('semver2', 'contoso.plan.extra', 0), 1),
    ].sort((a, b) => (a.name < b.name ? -1 : 1));
    expect(storedOfId(all, 'contoso.plan').map((document) => document.name)).toEqual([
      documentKeys.versionsIndex('contoso.plan'),
      documentKeys.registrationIndex('semver1', 'contoso.plan'),
      documentKeys.registrationPage('semver2', 'contoso.plan', 3),
    ]);
  });
});
