/**
 * The symbol server's half of a push: the planned PDBs (src/nuget/symbolFiles.ts) read one at a
 * time, each stored as its blob before any row names it, then the version's rows replaced in one
 * batch. A .snupkg push does this before it answers; a .nupkg push after its version committed,
 * so that a failure here only warns: the package is on the feed whatever happens to its symbols.
 */
import type { Env } from '../env';
import { planPdbs, readPdb, type PdbEntry, type SymbolFile } from '../nuget/symbolFiles';
import { listZipEntries, type ReadRange } from '../nuget/zip';
import { isFailure, type Failure } from '../problems';
import { putSymbolBlob, replaceSymbolFiles } from '../store/symbols';

interface VersionRef {
  lowerId: string;
  lowerVersion: string;
}

/** Reads and stores each PDB; one is held in memory at a time. */
export async function storePdbs(
  bucket: R2Bucket,
  read: ReadRange,
  pdbs: readonly PdbEntry[],
): Promise<SymbolFile[] | Failure> {
  const files: SymbolFile[] = [];
  for (const pdb of pdbs) {
    const pdbRead = await readPdb(read, pdb);
    if (isFailure(pdbRead)) return pdbRead;
    await putSymbolBlob(bucket, pdbRead.file, pdbRead.bytes);
    files.push(pdbRead.file);
  }
  return files;
}

const NOT_INDEXED =
  'The package is saved, but its PDBs could not be indexed for the symbol server; push a .snupkg to serve its symbols.';
const skippedWarning = (count: number) =>
  `${count} PDB(s) in the package were not indexed for the symbol server: a push indexes a bounded number and size of PDBs.`;

/**
 * The Portable PDBs a committed .nupkg carries (beside its DLLs, most often). Never fails: what
 * goes wrong is a warning for X-NuGet-Warning (protocol §11.6), as with the documents' refresh.
 */
export async function indexPackageSymbols(
  env: Pick<Env, 'DB' | 'PACKAGES'>,
  read: ReadRange,
  size: number,
  version: VersionRef,
  now: Date,
): Promise<string[]> {
  try {
    const entries = await listZipEntries(read, size);
    const planned = isFailure(entries) ? entries : await planPdbs(read, entries, 'nupkg');
    if (isFailure(planned)) return [NOT_INDEXED];
    const warnings = planned.skipped > 0 ? [skippedWarning(planned.skipped)] : [];
    if (planned.pdbs.length === 0) return warnings;
    const files = await storePdbs(env.PACKAGES, read, planned.pdbs);
    if (isFailure(files)) return [NOT_INDEXED];
    await replaceSymbolFiles(env.DB, env.PACKAGES, version, 'nupkg', files, now);
    return warnings;
  } catch (error) {
    console.error('symbol indexing failed after a committed push', version.lowerId, version.lowerVersion, error);
    return [NOT_INDEXED];
  }
}
