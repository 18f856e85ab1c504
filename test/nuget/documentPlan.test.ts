import { describe, expect, it } from 'vitest';
import type { PackageRegistration } from '../../src/nuget/types';
import { changedKeys, isEmptyPlan, documentsOf, planOf, storedOfId } from '../../src/documents/plan';
import { documentKeys, type StoredDocument } from '../../src/store/documents';
import { versionRecord } from '../support/records';

const registration: PackageRegistration = { lowerId: 'contoso.plan', id: 'Contoso.Plan', generation: 4 };
const snapshot = {
  registration,
  versions: [versionRecord('Contoso.Plan', '1.0.0'), versionRecord('Contoso.Plan', '2.0.0-beta')],
};
const flat = documentKeys.versionsIndex('contoso.plan');
const index1 = documentKeys.registrationIndex('semver1', 'contoso.plan');
const index2 = documentKeys.registrationIndex('semver2', 'contoso.plan');
const stored = (name: string, generation: number, etag?: string): StoredDocument => ({ name, generation, etag });

describe('documentsOf: the pages an id needs', () => {
  it('is the flat list and each level’s registration index at the D1 generation', () => {
    const target = documentsOf(snapshot);
    expect(target.generation).toBe(4);
    expect([...target.pages.keys()]).toEqual([flat, index1, index2]);
    expect(JSON.parse(target.pages.get(flat)!)).toEqual({ versions: ['1.0.0', '2.0.0-beta'] });
  });

  it('is nothing for a vanished id, which outranks any stored generation', () => {
    expect(documentsOf(null)).toEqual({ generation: Number.POSITIVE_INFINITY, pages: new Map() });
  });

  it('has no flat list for an id without versions', () => {
    expect(documentsOf({ registration, versions: [] }).pages.has(flat)).toBe(false);
  });
});

describe('planOf: what to write and delete', () => {
  const target = documentsOf(snapshot);

  it('writes missing and older pages, and deletes leftovers no newer than the target', () => {
    const plan = planOf(
      target,
      [stored(flat, 3), stored(index1, 4), stored('registration/semver2/contoso.plan/old', 2)],
      false,
    );
    expect(plan).toEqual({ put: [flat, index2], remove: ['registration/semver2/contoso.plan/old'] });
  });

  it('never touches keys stored at a newer generation', () => {
    const plan = planOf(
      target,
      [stored(flat, 5), stored(index1, 5), stored(index2, 5), stored('registration/semver1/contoso.plan/x', 5)],
      false,
    );
    expect(isEmptyPlan(plan)).toBe(true);
  });

  it('rewrites keys of the same generation only when forced', () => {
    const same = [stored(flat, 4), stored(index1, 4), stored(index2, 4)];
    expect(isEmptyPlan(planOf(target, same, false))).toBe(true);
    expect(planOf(target, same, true).put).toEqual([flat, index1, index2]);
  });

  it('removes every page of a vanished id', () => {
    expect(planOf(documentsOf(null), [stored(flat, 9), stored(index1, 9)], false)).toEqual({
      put: [],
      remove: [flat, index1],
    });
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
      stored(documentKeys.registrationPage('semver2', 'contoso.plan', '1.0.0', '2.0.0'), 1),
    ].sort((a, b) => (a.name < b.name ? -1 : 1));
    expect(storedOfId(all, 'contoso.plan').map((page) => page.name)).toEqual([
      documentKeys.versionsIndex('contoso.plan'),
      documentKeys.registrationIndex('semver1', 'contoso.plan'),
      documentKeys.registrationPage('semver2', 'contoso.plan', '1.0.0', '2.0.0'),
    ]);
  });
});
