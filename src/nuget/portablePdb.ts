/**
 * What a symbol server needs from a PDB's bytes. A Portable PDB is an ECMA-335 metadata blob
 * (§II.24.2.1 metadata root, magic "BSJB") whose `#Pdb` stream starts with the 20-byte PDB id:
 * a GUID and a stamp, the same two values the CodeView entry of the DLL built with it names. A
 * Windows PDB is an MSF container instead. Only the metadata root and stream headers are needed
 * to tell them apart and to find the id, so the kind is read from a short prefix of the file.
 */
import { isPortablePdb } from './packageEntries';

/**
 * Bytes of a PDB read to classify it: the metadata root (16 bytes and a version string of at most
 * 256, §II.24.2.1) and the stream headers (8 bytes and a name of at most 32 each; Portable PDBs
 * have six or seven streams) fit in well under this.
 */
export const PDB_HEADER_BYTES = 1024;

/** The 20-byte PDB id: a GUID, then the stamp (Portable PDB spec, "#Pdb stream"). */
export const PDB_ID_BYTES = 20;

const MSF_SIGNATURE = 'Microsoft C/C++ MSF 7.00';
const MAX_VERSION_STRING = 256;
const MAX_STREAM_NAME = 32;

export type PdbKind =
  /** idOffset: where the #Pdb stream, and so the id, starts in the file. */
  { kind: 'portable'; idOffset: number } | { kind: 'windows' } | { kind: 'other' };

function u16(b: Uint8Array, at: number): number {
  return (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8);
}
function u32(b: Uint8Array, at: number): number {
  return (u16(b, at) | (u16(b, at + 2) << 16)) >>> 0;
}

/**
 * A PDB's kind from its first bytes (`header`, at most PDB_HEADER_BYTES) and its full `size`. A
 * BSJB file without a #Pdb stream big enough for an id is no Portable PDB (it is a metadata-only
 * image, or corrupt): 'other'.
 */
export function pdbKind(header: Uint8Array, size: number): PdbKind {
  if (!isPortablePdb(header)) {
    const text = new TextDecoder('latin1').decode(header.subarray(0, MSF_SIGNATURE.length));
    return { kind: text === MSF_SIGNATURE ? 'windows' : 'other' };
  }
  const versionLength = u32(header, 12);
  if (versionLength % 4 !== 0 || versionLength > MAX_VERSION_STRING) return { kind: 'other' };
  const streams = u16(header, 18 + versionLength);
  let at = 20 + versionLength;
  for (let i = 0; i < streams; i++) {
    if (at + 8 > header.length) return { kind: 'other' };
    const [offset, length] = [u32(header, at), u32(header, at + 4)];
    const nameEnd = header.subarray(at + 8, at + 8 + MAX_STREAM_NAME).indexOf(0);
    if (nameEnd < 0) return { kind: 'other' };
    const name = new TextDecoder('latin1').decode(header.subarray(at + 8, at + 8 + nameEnd));
    if (name === '#Pdb') {
      const fits = length >= PDB_ID_BYTES && offset + PDB_ID_BYTES <= size;
      return fits ? { kind: 'portable', idOffset: offset } : { kind: 'other' };
    }
    // The name's terminator included, padded to a 4-byte boundary.
    at += 8 + (Math.floor(nameEnd / 4) + 1) * 4;
  }
  return { kind: 'other' };
}

const hex = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
const hexLE = (bytes: Uint8Array) => hex(bytes.slice().reverse());

export interface PdbId {
  /** 32 lower-case hex digits, as .NET's Guid.ToString("N"): the fields of the little-endian GUID, then its 8 bytes. */
  guid: string;
  /** 8 lower-case hex digits of the little-endian stamp. */
  stamp: string;
}

/** The id at `idOffset` (from pdbKind) of a whole Portable PDB. */
export function pdbId(pdb: Uint8Array, idOffset: number): PdbId {
  const id = pdb.subarray(idOffset, idOffset + PDB_ID_BYTES);
  const guid = hexLE(id.subarray(0, 4)) + hexLE(id.subarray(4, 6)) + hexLE(id.subarray(6, 8)) + hex(id.subarray(8, 16));
  return { guid, stamp: hexLE(id.subarray(16, 20)) };
}

/**
 * The PDB's checksum as a DLL's PdbChecksum debug entry records it, and as debuggers send it in
 * `SymbolChecksum`: SHA-256 of the file with its id zeroed (the id is itself derived from that
 * hash in deterministic builds), lower-case hex. WebCrypto copies the data when digest() is
 * called, so the id is restored before the hash is awaited and the caller's bytes end unchanged.
 */
export async function pdbChecksum(pdb: Uint8Array, idOffset: number): Promise<string> {
  const id = pdb.slice(idOffset, idOffset + PDB_ID_BYTES);
  pdb.fill(0, idOffset, idOffset + PDB_ID_BYTES);
  const digest = crypto.subtle.digest('SHA-256', pdb);
  pdb.set(id, idOffset);
  return hex(new Uint8Array(await digest));
}
