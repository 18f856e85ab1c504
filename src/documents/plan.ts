/**
 * Which KV documents an id needs, at which generation, and what to write and delete to get there:
 * pure, from the id's layout in D1 (src/store/registrationPages.ts) and what KV lists
 * (src/store/documents.ts). rebuild.ts runs the plan; the repair pass uses it to find ids whose
 * documents are missing or stale.
 *
 * Each document carries the generation of its own last change: the flat list and the indexes
 * change with every change of the id, a page only when a version it shows does. That is what lets
 * a push rewrite four or five documents however many versions the id has.
 */
import { type HiveLevel, storedHiveOf, storedLinks } from '../links';
import { versionsIndex } from '../nuget/flatContainer';
import {
  pagesOf,
  type PageContent,
  registrationIndex,
  type RegistrationLayout,
  registrationPage,
} from '../nuget/registration';
import { type HivePage, isPaged } from '../nuget/registrationLayout';
import { documentKeys, STORED_LEVELS, type StoredDocument } from '../store/documents';

export type DocumentRecipe =
  | { kind: 'versionsIndex' }
  | { kind: 'registrationIndex'; level: HiveLevel; pages: HivePage[]; paged: boolean }
  | { kind: 'registrationPage'; level: HiveLevel; page: HivePage };

/** One document KV must hold: how to build it, and the generation of its last change. */
export interface DocumentTarget {
  generation: number;
  recipe: DocumentRecipe;
}

/** What KV must hold for one id. */
export interface IdDocuments {
  /** The id's generation: leftover keys stored no newer than it are removed. */
  generation: number;
  documents: Map<string, DocumentTarget>;
}

export interface DocumentPlan {
  put: string[];
  remove: string[];
}

/**
 * The id's documents at one D1 snapshot. A vanished id (null) needs none, and outranks whatever
 * generation its documents carry, so they are all removed.
 */
export function documentsOf(layout: RegistrationLayout | null): IdDocuments {
  const documents = new Map<string, DocumentTarget>();
  if (!layout) return { generation: Number.POSITIVE_INFINITY, documents };
  const { lowerId, generation } = layout.registration;
  if (layout.versions.length > 0) {
    documents.set(documentKeys.versionsIndex(lowerId), { generation, recipe: { kind: 'versionsIndex' } });
  }
  for (const level of STORED_LEVELS) {
    const pages = pagesOf(storedHiveOf(level), layout);
    if (pages.length === 0) continue;
    const paged = isPaged(pages);
    const recipe = { kind: 'registrationIndex', level, pages, paged } as const;
    documents.set(documentKeys.registrationIndex(level, lowerId), { generation, recipe });
    if (!paged) continue;
    for (const page of pages) {
      documents.set(documentKeys.registrationPage(level, lowerId, page.page), {
        generation: page.generation,
        recipe: { kind: 'registrationPage', level, page },
      });
    }
  }
  return { generation, documents };
}

/**
 * Only the documents a change at generation `since`, or a later one, touched: what a push's
 * rebuild looks at (src/documents/rebuild.ts, RebuildOptions.since).
 */
export function changedSince(target: IdDocuments, since: number): IdDocuments {
  const documents = new Map([...target.documents].filter(([, document]) => document.generation >= since));
  return { generation: target.generation, documents };
}

/**
 * What to write and delete so KV holds `target`, never touching keys stored at a newer
 * generation than the document's (guard 1 in rebuild.ts). `force` also rewrites keys of the same generation.
 */
export function planOf(target: IdDocuments, stored: readonly StoredDocument[], force: boolean): DocumentPlan {
  const storedGeneration = new Map(stored.map((document) => [document.name, document.generation]));
  const put = [...target.documents].flatMap(([name, { generation }]) => {
    const have = storedGeneration.get(name);
    return have === undefined || have < generation || (force && have === generation) ? [name] : [];
  });
  const remove = stored
    .filter((document) => !target.documents.has(document.name) && document.generation <= target.generation)
    .map((document) => document.name);
  return { put, remove };
}

/** The pages whose full records building `names` takes: a page document's, or every page of an inlined index. */
export function pagesNeeded(target: IdDocuments, names: readonly string[]): number[] {
  const needed = new Set<number>();
  for (const name of names) {
    const recipe = target.documents.get(name)?.recipe;
    if (recipe?.kind === 'registrationPage') needed.add(recipe.page.page);
    if (recipe?.kind === 'registrationIndex' && !recipe.paged) for (const page of recipe.pages) needed.add(page.page);
  }
  return [...needed];
}

/** A planned document's JSON text, built against STORED_ORIGIN in its level's stored hive (src/links.ts). */
export function documentText(target: DocumentTarget, layout: RegistrationLayout, content: PageContent): string {
  const { recipe } = target;
  const links = storedLinks();
  switch (recipe.kind) {
    case 'versionsIndex':
      return JSON.stringify(versionsIndex(layout.versions));
    case 'registrationIndex':
      return JSON.stringify(
        registrationIndex(links, storedHiveOf(recipe.level), layout, recipe.paged ? undefined : content, recipe.pages),
      );
    case 'registrationPage':
      return JSON.stringify(
        registrationPage(links, storedHiveOf(recipe.level), layout.registration, recipe.page, content),
      );
  }
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
