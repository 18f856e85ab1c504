/**
 * Which KV documents an id needs, and what to write and delete to get there: pure, from the id's D1
 * rows and what KV lists (src/store/documents.ts). rebuild.ts runs the plan; the repair pass uses it
 * to find ids whose pages are missing or stale.
 */
import { storedHiveOf, storedLinks } from '../links';
import { versionsIndex } from '../nuget/flatContainer';
import { registrationDocuments } from '../nuget/registration';
import type { PackageRegistration, PackageVersionRecord } from '../nuget/types';
import { documentKeys, STORED_LEVELS, type StoredDocument } from '../store/documents';

/** What KV must hold for one id: every page (key → JSON text) at the D1 generation they are built from. */
export interface IdDocuments {
  generation: number;
  pages: Map<string, string>;
}

export interface DocumentPlan {
  put: string[];
  remove: string[];
}

/**
 * The id's documents at one D1 snapshot, built against STORED_ORIGIN (src/links.ts). A vanished id
 * (null) needs none, and outranks whatever generation its pages carry, so they are all removed.
 */
export function documentsOf(
  snapshot: {
    registration: PackageRegistration;
    versions: readonly PackageVersionRecord[];
    /** Each version's catalog leaf seq (src/store/catalog.ts), named by its catalogEntry (§4.6). */
    catalogLeaves?: ReadonlyMap<string, number>;
  } | null,
): IdDocuments {
  const pages = new Map<string, string>();
  if (!snapshot) return { generation: Number.POSITIVE_INFINITY, pages };
  const { registration, versions, catalogLeaves } = snapshot;
  const { lowerId } = registration;
  if (versions.length > 0) pages.set(documentKeys.versionsIndex(lowerId), JSON.stringify(versionsIndex(versions)));
  const links = storedLinks();
  for (const level of STORED_LEVELS) {
    const documents = registrationDocuments(links, storedHiveOf(level), registration, versions, catalogLeaves);
    if (!documents) continue;
    pages.set(documentKeys.registrationIndex(level, lowerId), JSON.stringify(documents.index));
    for (const page of documents.pages) {
      pages.set(documentKeys.registrationPage(level, lowerId, page.lower, page.upper), JSON.stringify(page));
    }
  }
  return { generation: registration.generation, pages };
}

/**
 * What to write and delete so KV holds `target`, never touching keys stored at a newer
 * generation (guard 1 in rebuild.ts). `force` also rewrites keys of the same generation.
 */
export function planOf(target: IdDocuments, stored: readonly StoredDocument[], force: boolean): DocumentPlan {
  const { generation, pages } = target;
  const storedGeneration = new Map(stored.map((page) => [page.name, page.generation]));
  const put = [...pages.keys()].filter((name) => {
    const have = storedGeneration.get(name);
    return have === undefined || have < generation || (force && have === generation);
  });
  const remove = stored.filter((page) => !pages.has(page.name) && page.generation <= generation).map((p) => p.name);
  return { put, remove };
}

export function isEmptyPlan(plan: DocumentPlan): boolean {
  return plan.put.length === 0 && plan.remove.length === 0;
}

/** Keys whose stored content hash differs from the one written (`etags`), and the removed: what to purge from caches. */
export function changedKeys(
  plan: DocumentPlan,
  stored: readonly StoredDocument[],
  etags: ReadonlyMap<string, string>,
): string[] {
  const storedEtags = new Map(stored.map((page) => [page.name, page.etag]));
  return [...plan.put.filter((name) => storedEtags.get(name) !== etags.get(name)), ...plan.remove];
}

/** The id's keys within a listing of the whole namespace in key order (binary search, then a run). */
export function storedOfId(all: readonly StoredDocument[], lowerId: string): StoredDocument[] {
  const run = (prefix: string, exact: boolean) => {
    let low = 0;
    let high = all.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((all[middle]?.name ?? '') < prefix) low = middle + 1;
      else high = middle;
    }
    const found: StoredDocument[] = [];
    for (let i = low; i < all.length && all[i]!.name.startsWith(prefix); i++) {
      if (!exact || all[i]!.name === prefix) found.push(all[i]!);
    }
    return found;
  };
  return [
    ...run(documentKeys.versionsIndex(lowerId), true),
    ...STORED_LEVELS.flatMap((level) => run(documentKeys.idPrefix(level, lowerId), false)),
  ];
}
