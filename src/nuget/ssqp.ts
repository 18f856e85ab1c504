/**
 * SSQP, the Simple Symbol Query Protocol (dotnet/symstore, "SSQP Key Conventions"): a symbol file
 * is asked for as `{file}/{signature}/{file}`, where the file name is lower-cased and, for a
 * Portable PDB, the signature is its id's GUID in "N" form followed by an "age". Keys are
 * case-insensitive. Clients send the marker age FFFFFFFF for Portable PDBs, but some (older Visual
 * Studio, tools converting to Windows PDBs) send others, so a Portable PDB matches on its GUID
 * whatever age follows.
 */

/** The age SymbolStore writes after a Portable PDB's GUID: it marks the key, it is no CodeView age. */
export const PORTABLE_PDB_AGE = 'ffffffff';

/** Longer names than any file system keeps (255) name nothing stored. */
const MAX_FILE_NAME = 255;

export interface SymbolKey {
  /** Lower-case file name, e.g. `lib.pdb`. */
  fileName: string;
  /** The PDB id's GUID, 32 lower-case hex digits. */
  guid: string;
}

/**
 * The file name a PDB is asked for by: the last part of its path, lower-cased. CodeView paths are
 * often Windows paths, so `\` separates too.
 */
export function symbolFileName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1).toLowerCase();
}

/** The signature part of a Portable PDB's key. */
export function portablePdbSignature(guid: string): string {
  return guid.toLowerCase() + PORTABLE_PDB_AGE;
}

/**
 * A key's three parts, already percent-decoded. Null for anything but a `.pdb` named twice alike
 * with a 32-hex GUID and an age of 1 to 8 hex digits: the compressed `.pd_` and `file.ptr` probes
 * of SymSrv and PE image keys ask for files this server does not hold.
 */
export function parseSymbolKey(file: string, signature: string, file2: string): SymbolKey | null {
  const fileName = file.toLowerCase();
  if (fileName !== file2.toLowerCase() || fileName.length > MAX_FILE_NAME) return null;
  if (!fileName.endsWith('.pdb') || symbolFileName(fileName) !== fileName) return null;
  const match = /^([0-9a-f]{32})[0-9a-f]{1,8}$/i.exec(signature);
  return match ? { fileName, guid: match[1]!.toLowerCase() } : null;
}

/**
 * Whether a `SymbolChecksum` header (`SHA256:<hex>`, several joined by `;`) admits a PDB of this
 * checksum (lower-case hex): when it is absent, or lists the checksum. A header naming only other
 * algorithms cannot be checked here (PDB checksums are SHA-256) and admits it: the client verifies
 * what it downloads in any case. Anything else, a mismatch or a malformed value, does not.
 */
export function checksumAdmits(header: string | null, checksum: string): boolean {
  if (header === null) return true;
  const parts = header
    .split(';')
    .filter((part) => part.trim() !== '')
    .map((part) => /^\s*([A-Za-z0-9-]+):([0-9a-fA-F]+)\s*$/.exec(part));
  if (parts.some((match) => match === null)) return false;
  const sha256 = parts.filter((match) => match![1]!.toUpperCase() === 'SHA256').map((match) => match![2]!);
  return sha256.length === 0 || sha256.some((hex) => hex.toLowerCase() === checksum);
}
