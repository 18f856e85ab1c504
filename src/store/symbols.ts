/**
 * The one author of SQL over symbol_files, and the writer of the PDB blobs it points to. A row
 * is one PDB of one package version (from its .nupkg or its .snupkg), found by the SSQP key's
 * GUID and file name; the blob is keyed by content (src/store/blobs.ts), so identical PDBs are
 * stored once and shared by their rows. Blob, then row: a row only ever names a stored blob.
 */
import type { SymbolFile, SymbolSource } from '../nuget/symbolFiles';
import type { SymbolKey } from '../nuget/ssqp';
import type { BlobFile } from './blobResponse';
import { blobKeys, UNOWNED_BLOB_AGE_MS } from './blobs';

interface VersionRef {
  lowerId: string;
  lowerVersion: string;
}

/** What names a PDB blob. */
export interface SymbolBlob {
  guid: string;
  stamp: string;
  checksum: string;
}

const COLUMNS = [
  'lower_id',
  'lower_version',
  'source',
  'path',
  'file_name',
  'pdb_guid',
  'pdb_stamp',
  'checksum',
  'size',
] as const;
/** D1 binds at most 100 parameters per statement. */
const ROWS_PER_INSERT = Math.floor(100 / COLUMNS.length);
const CHECKSUMS_PER_QUERY = 100;

const blobKey = (blob: SymbolBlob) => blobKeys.symbol(blob.guid, blob.stamp, blob.checksum);
type BlobRow = { pdb_guid: string; pdb_stamp: string; checksum: string };
const blobOf = (row: BlobRow): SymbolBlob => ({ guid: row.pdb_guid, stamp: row.pdb_stamp, checksum: row.checksum });

/** Stores a PDB's bytes under its content key (rewriting identical bytes is harmless, and keeps the blob young). */
export async function putSymbolBlob(bucket: R2Bucket, file: SymbolFile, bytes: Uint8Array): Promise<void> {
  await bucket.put(blobKey(file), bytes, { httpMetadata: { contentType: 'application/octet-stream' } });
}

/** The blob to serve for a row. */
export function symbolBlobFile(blob: SymbolBlob): BlobFile {
  return { key: blobKey(blob), contentType: 'application/octet-stream' };
}

/**
 * The PDBs a key may name, a .snupkg's first: one PDB id in several packages (a library bundled
 * by another) is the same build, but the caller picks among them by checksum when asked to.
 */
export async function findSymbolBlobs(db: D1Database, key: SymbolKey): Promise<SymbolBlob[]> {
  const { results } = await db
    .prepare(
      `SELECT pdb_guid, pdb_stamp, checksum FROM symbol_files WHERE pdb_guid = ?1 AND file_name = ?2
       ORDER BY source DESC, lower_id, lower_version, path LIMIT 20`,
    )
    .bind(key.guid, key.fileName)
    .all<BlobRow>();
  return results.map(blobOf);
}

/**
 * Replaces the version's PDBs from one source with `files`, in one batch (a re-pushed .snupkg
 * replaces its symbols, as nuget.org does). Then removes the blobs only the old rows named,
 * once they are older than UNOWNED_BLOB_AGE_MS: a younger one may be a push's, written and
 * not yet named by its row (blob → row), which a removal now would leave naming nothing.
 */
export async function replaceSymbolFiles(
  db: D1Database,
  bucket: R2Bucket,
  version: VersionRef,
  source: SymbolSource,
  files: readonly SymbolFile[],
  now: Date,
): Promise<void> {
  const where = 'WHERE lower_id = ?1 AND lower_version = ?2 AND source = ?3';
  const ref = [version.lowerId, version.lowerVersion, source];
  const { results: before } = await db
    .prepare(`SELECT pdb_guid, pdb_stamp, checksum FROM symbol_files ${where}`)
    .bind(...ref)
    .all<BlobRow>();
  const inserts: D1PreparedStatement[] = [];
  for (let at = 0; at < files.length; at += ROWS_PER_INSERT) {
    const chunk = files.slice(at, at + ROWS_PER_INSERT);
    const row = `(${COLUMNS.map(() => '?').join(', ')})`;
    const values = chunk.flatMap((f) => [...ref, f.path, f.fileName, f.guid, f.stamp, f.checksum, f.size]);
    inserts.push(
      db
        .prepare(`INSERT INTO symbol_files (${COLUMNS.join(', ')}) VALUES ${chunk.map(() => row).join(', ')}`)
        .bind(...values),
    );
  }
  await db.batch([db.prepare(`DELETE FROM symbol_files ${where}`).bind(...ref), ...inserts]);
  const kept = new Set(files.map(blobKey));
  const dropped = [...new Map(before.map(blobOf).map((blob) => [blobKey(blob), blob])).values()].filter(
    (blob) => !kept.has(blobKey(blob)),
  );
  await removeUnnamedBlobs(db, bucket, dropped, now);
}

/** The keys of these blobs that some symbol_files row names. */
async function namedKeys(db: D1Database, blobs: readonly SymbolBlob[]): Promise<Set<string>> {
  const named = new Set<string>();
  for (let at = 0; at < blobs.length; at += CHECKSUMS_PER_QUERY) {
    const checksums = blobs.slice(at, at + CHECKSUMS_PER_QUERY).map((blob) => blob.checksum);
    const { results } = await db
      .prepare(
        `SELECT DISTINCT pdb_guid, pdb_stamp, checksum FROM symbol_files
         WHERE checksum IN (${checksums.map(() => '?').join(', ')})`,
      )
      .bind(...checksums)
      .all<BlobRow>();
    for (const row of results) named.add(blobKey(blobOf(row)));
  }
  return named;
}

async function removeUnnamedBlobs(db: D1Database, bucket: R2Bucket, blobs: SymbolBlob[], now: Date): Promise<void> {
  const named = await namedKeys(db, blobs);
  const cutoff = now.getTime() - UNOWNED_BLOB_AGE_MS;
  const unnamed = blobs.map(blobKey).filter((key) => !named.has(key));
  const old = await Promise.all(
    unnamed.map(async (key) => ((await bucket.head(key))?.uploaded.getTime() ?? cutoff) < cutoff && key),
  );
  const keys = old.filter((key): key is string => key !== false);
  if (keys.length > 0) await bucket.delete(keys);
}

/** The blob a key names (blobKey's inverse: a 32-digit GUID, then the stamp); null for any other key. */
function blobOfKey(key: string): SymbolBlob | null {
  if (!key.startsWith(blobKeys.symbolsPrefix)) return null;
  const [id = '', checksum, ...rest] = key.slice(blobKeys.symbolsPrefix.length).split('/');
  if (!checksum || rest.length > 0 || id.length <= 32) return null;
  return { guid: id.slice(0, 32), stamp: id.slice(32), checksum };
}

/**
 * For the repair pass: of one listing page under symbols/, deletes the blobs older than `cutoff`
 * that no row names (a push that failed after writing them, or a re-push whose old PDBs were
 * too young to remove then).
 */
export async function removeUnnamedSymbolBlobs(
  db: D1Database,
  bucket: R2Bucket,
  objects: readonly R2Object[],
  cutoff: number,
): Promise<void> {
  const old = objects.flatMap((object) => {
    const blob = object.uploaded.getTime() < cutoff ? blobOfKey(object.key) : null;
    return blob ? [blob] : [];
  });
  const named = await namedKeys(db, old);
  const keys = old.map(blobKey).filter((key) => !named.has(key));
  if (keys.length > 0) await bucket.delete(keys);
}
