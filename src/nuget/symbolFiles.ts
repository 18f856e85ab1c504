/**
 * The PDBs of a pushed package, read for the symbol server. A `.snupkg` must hold Portable PDBs
 * only, as nuget.org requires, and every one is indexed or the push is refused; a `.nupkg` may
 * carry PDBs of any kind beside its DLLs, and its Portable ones are indexed as far as the budget
 * goes. The work is bounded before any PDB is read: by their number and by the sizes the central
 * directory declares (inflation stops at the declared size, src/nuget/zipInflate.ts). Each PDB is
 * first classified from its header, a few hundred bytes, so that a refused `.snupkg` costs no
 * more than that; only then is each read whole, once, to be hashed and stored.
 */
import { fail, isFailure, type Failure } from '../problems';
import { MAX_SYMBOL_PDBS, notPortablePdb } from './packageEntries';
import { PDB_HEADER_BYTES, pdbChecksum, pdbId, pdbKind, type PdbId } from './portablePdb';
import { MAX_SYMBOL_INFLATED_BYTES } from './readPackage';
import { symbolFileName } from './ssqp';
import { readZipEntry, readZipEntryPrefix, type ReadRange } from './zip';
import type { ZipEntry } from './zipEntry';

/** One PDB is held in memory while it is hashed and stored, beside the push's own part (8 MiB). */
export const MAX_PDB_BYTES = 16 * 1024 * 1024;
/** What one push may inflate to index its PDBs: about a second of inflating and hashing. */
export const MAX_INDEXED_PDB_BYTES = 128 * 1024 * 1024;
/**
 * PDBs examined per push: each costs a few subrequests (ranged reads when the package is in R2,
 * one put), and a subrequest budget is per request.
 */
export const MAX_INDEXED_PDBS = MAX_SYMBOL_PDBS;

export type SymbolSource = 'nupkg' | 'snupkg';

/** A Portable PDB found in a package, not yet read whole. */
export interface PdbEntry {
  entry: ZipEntry;
  idOffset: number;
}

/** A PDB ready to be stored and indexed. */
export interface SymbolFile extends PdbId {
  /** The entry's path in the package. */
  path: string;
  /** The name an SSQP key asks for it by (src/nuget/ssqp.ts). */
  fileName: string;
  /** SHA-256 with the id zeroed: what `SymbolChecksum` names (src/nuget/portablePdb.ts). */
  checksum: string;
  size: number;
}

export interface PlannedPdbs {
  pdbs: PdbEntry[];
  /** Portable PDBs of a .nupkg left out because the budget was spent. */
  skipped: number;
}

const isPdb = (entry: ZipEntry) => !entry.name.endsWith('/') && entry.name.toLowerCase().endsWith('.pdb');

function overBudget(entry: ZipEntry, total: number, count: number): string | null {
  if (count >= MAX_INDEXED_PDBS) return `more than ${MAX_INDEXED_PDBS} PDBs`;
  if (entry.uncompressedSize > MAX_PDB_BYTES) {
    return `the PDB '${entry.name}' of ${entry.uncompressedSize} bytes (at most ${MAX_PDB_BYTES} are indexed)`;
  }
  if (total + entry.uncompressedSize > MAX_INDEXED_PDB_BYTES) return `PDBs of more than ${MAX_INDEXED_PDB_BYTES} bytes`;
  return null;
}

const windowsPdb = (entry: ZipEntry): Failure =>
  fail(
    'badRequest',
    `The symbol package file '${entry.name}' is a Windows PDB, which this feed does not serve, as nuget.org does not; only Portable PDBs are accepted (build with <DebugType>portable</DebugType>).`,
  );

/**
 * The PDBs of the package to index, classified by their headers. For a .snupkg every entry named
 * .pdb must be a Portable PDB within the budget; a .nupkg's others are passed over.
 */
export async function planPdbs(
  read: ReadRange,
  entries: readonly ZipEntry[],
  source: SymbolSource,
): Promise<PlannedPdbs | Failure> {
  const planned: PlannedPdbs = { pdbs: [], skipped: 0 };
  let [total, inflated, examined] = [0, 0, 0];
  for (const entry of entries.filter(isPdb)) {
    const refused = overBudget(entry, total, examined);
    if (refused && source === 'snupkg') return fail('badRequest', `The symbol package holds ${refused}.`);
    if (refused) {
      planned.skipped++;
      continue;
    }
    examined++;
    const header = await readZipEntryPrefix(read, entry, PDB_HEADER_BYTES);
    if (isFailure(header)) {
      if (source === 'snupkg') return header;
      continue;
    }
    inflated += header.inflated;
    if (inflated > MAX_SYMBOL_INFLATED_BYTES) {
      if (source === 'nupkg') return planned;
      return fail(
        'badRequest',
        `The symbol package's PDBs inflate past ${MAX_SYMBOL_INFLATED_BYTES} bytes before their headers.`,
      );
    }
    const kind = pdbKind(header.bytes, entry.uncompressedSize);
    if (kind.kind === 'portable') {
      planned.pdbs.push({ entry, idOffset: kind.idOffset });
      total += entry.uncompressedSize;
    } else if (source === 'snupkg') {
      return kind.kind === 'windows' ? windowsPdb(entry) : notPortablePdb(entry);
    }
  }
  return planned;
}

/** One planned PDB, read whole (within MAX_PDB_BYTES), with its id and checksum. */
export async function readPdb(
  read: ReadRange,
  pdb: PdbEntry,
): Promise<{ file: SymbolFile; bytes: Uint8Array } | Failure> {
  const bytes = await readZipEntry(read, pdb.entry, MAX_PDB_BYTES);
  if (isFailure(bytes)) return bytes;
  const file: SymbolFile = {
    ...pdbId(bytes, pdb.idOffset),
    path: pdb.entry.name,
    fileName: symbolFileName(pdb.entry.name),
    checksum: await pdbChecksum(bytes, pdb.idOffset),
    size: bytes.length,
  };
  return { file, bytes };
}
