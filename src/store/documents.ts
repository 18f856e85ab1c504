/**
 * The one author of KV keys. KV holds only derived documents, every one rebuildable from D1
 * (src/documents/rebuild.ts). KV is eventually consistent: a page written here may be read stale
 * for ~60 s at other locations (docs/platform.md §3); readers that need the truth
 * (push, unlist) go to D1, never to KV.
 */
import { contentTag } from '../cachePolicy';
import type { HiveLevel } from '../links';

export const documentKeys = {
  /** Flat container version list `{lowerId}/index.json` (protocol §3.2). */
  versionsIndex: (lowerId: string) => `flat/${lowerId}`,
  registrationIndex: (level: HiveLevel, lowerId: string) => `registration/${level}/${lowerId}/index`,
  /** A page by its stable number (src/store/registrationPages.ts): the key survives every change to it. */
  registrationPage: (level: HiveLevel, lowerId: string, page: number) =>
    `registration/${level}/${lowerId}/page/${page}`,
  /** Every key derived from one id (for listing and removing stale pages). */
  idPrefix: (level: HiveLevel, lowerId: string) => `registration/${level}/${lowerId}/`,
} as const;

/** Metadata stored beside every page: which D1 generation of the id it was built from. */
export interface DocumentMetadata {
  generation: number;
  /**
   * Content hash of the stored text (src/cachePolicy.ts contentTag), so a page is served with
   * its ETag from one getWithMetadata. Absent on pages written before it existed.
   */
  etag?: string;
}

/** A document's text as served from this URL, and the content hash its ETags are built on. */
export interface TaggedText {
  text: string;
  tag: string;
}

/**
 * The one reader of stored pages: the text and its content hash from one getWithMetadata. Pages
 * written before DocumentMetadata.etag existed are hashed here.
 */
export async function readDocument(kv: KVNamespace, key: string): Promise<TaggedText | null> {
  const { value, metadata } = await kv.getWithMetadata<DocumentMetadata>(key);
  return value === null ? null : { text: value, tag: metadata?.etag ?? (await contentTag(value)) };
}

/** What a key names: the inverse of documentKeys, for turning changed keys into URLs to purge. */
export type DocumentRef =
  | { kind: 'versionsIndex'; lowerId: string }
  | { kind: 'registrationIndex'; level: HiveLevel; lowerId: string }
  | { kind: 'registrationPage'; level: HiveLevel; lowerId: string; page: number };

export function documentRefOf(key: string): DocumentRef | null {
  const [area, level, lowerId, kind, page, ...rest] = key.split('/');
  if (area === 'flat' && level && lowerId === undefined) return { kind: 'versionsIndex', lowerId: level };
  if (area !== 'registration' || (level !== 'semver1' && level !== 'semver2') || !lowerId || rest.length > 0)
    return null;
  if (kind === 'index' && page === undefined) return { kind: 'registrationIndex', level, lowerId };
  if (kind === 'page' && page && /^(0|[1-9][0-9]*)$/.test(page)) {
    return { kind: 'registrationPage', level, lowerId, page: Number(page) };
  }
  return null;
}

/** The hive levels KV holds registration pages for (the semver1 level serves two hives). */
export const STORED_LEVELS: readonly HiveLevel[] = ['semver1', 'semver2'];

/** A page as KV lists it: its key and the DocumentMetadata beside it (generation -1 when it has none). */
export interface StoredDocument {
  name: string;
  generation: number;
  etag?: string;
}

function storedPage(name: string, metadata: DocumentMetadata | null | undefined): StoredDocument {
  return { name, generation: metadata?.generation ?? -1, etag: metadata?.etag };
}

/** Every page under `prefix` (the whole namespace without one), in key order, a KV listing of 1,000 at a time. */
export async function listDocuments(kv: KVNamespace, prefix?: string): Promise<StoredDocument[]> {
  const stored: StoredDocument[] = [];
  let cursor: string | undefined;
  do {
    const page = await kv.list<DocumentMetadata>({ prefix, cursor });
    for (const key of page.keys) stored.push(storedPage(key.name, key.metadata));
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  return stored;
}

/** One id's stored pages: its flat list by one read (a `flat/` prefix would list other ids too), each level listed. */
export async function documentsOfId(kv: KVNamespace, lowerId: string): Promise<StoredDocument[]> {
  const [flat, ...levels] = await Promise.all([
    kv.getWithMetadata<DocumentMetadata>(documentKeys.versionsIndex(lowerId)),
    ...STORED_LEVELS.map((level) => listDocuments(kv, documentKeys.idPrefix(level, lowerId))),
  ]);
  const stored = levels.flat();
  if (flat.value !== null) stored.push(storedPage(documentKeys.versionsIndex(lowerId), flat.metadata));
  return stored;
}

/**
 * These keys' stored generations, one read each, without their text: the stream is dropped
 * unread (KV has no metadata-only read, and a read costs a tenth of a listing). Absent keys are left out.
 */
export async function documentsNamed(kv: KVNamespace, names: readonly string[]): Promise<StoredDocument[]> {
  const found = await Promise.all(
    names.map(async (name) => {
      const { value, metadata } = await kv.getWithMetadata<DocumentMetadata>(name, { type: 'stream' });
      if (value === null) return [];
      await value.cancel();
      return [storedPage(name, metadata)];
    }),
  );
  return found.flat();
}

/** The one writer of pages: puts each with its metadata and deletes `remove`, all at once. */
export async function writeDocuments(
  kv: KVNamespace,
  put: readonly { name: string; text: string; metadata: DocumentMetadata }[],
  remove: readonly string[],
): Promise<void> {
  await Promise.all([
    ...put.map((page) => kv.put(page.name, page.text, { metadata: page.metadata })),
    ...remove.map((name) => kv.delete(name)),
  ]);
}
