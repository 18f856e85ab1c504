/**
 * Synthetic Portable PDBs for the symbol server tests: an ECMA-335 metadata root (§II.24.2.1)
 * with a `#Pdb` stream holding a 20-byte id, and the key and checksum a debugger would derive
 * for it. Real PDBs have more streams; the server reads only these.
 */

/** A GUID in .NET's byte layout from its "N" text: the first three fields little-endian. */
function guidBytes(guid: string): Uint8Array {
  const raw = Uint8Array.from(guid.match(/../g)!, (pair) => Number.parseInt(pair, 16));
  return Uint8Array.from([
    ...raw.slice(0, 4).reverse(),
    ...raw.slice(4, 6).reverse(),
    ...raw.slice(6, 8).reverse(),
    ...raw.slice(8),
  ]);
}

export interface TestPdb {
  bytes: Uint8Array;
  guid: string;
  stamp: string;
  /** Where the 20-byte id starts. */
  idOffset: number;
}

/** `filler` varies the content after the id, so that two PDBs may share an id and differ. */
export function portablePdb(guid: string, stamp = '9f695187', filler = 'body', bodyBytes = 64): TestPdb {
  const version = new TextEncoder().encode('PDB v1.0\0\0\0\0');
  const headerLength = 20 + version.length + 8 + 8 + 8 + 4;
  const pdbStream = 32;
  const bytes = new Uint8Array(headerLength + pdbStream + bodyBytes);
  const view = new DataView(bytes.buffer);
  bytes.set([0x42, 0x53, 0x4a, 0x42, 1, 0, 1, 0]);
  view.setUint32(12, version.length, true);
  bytes.set(version, 16);
  let at = 16 + version.length;
  view.setUint16(at + 2, 2, true);
  at += 4;
  // A stream before #Pdb, as real PDBs have, to exercise the header walk.
  view.setUint32(at, headerLength + pdbStream, true);
  view.setUint32(at + 4, bodyBytes, true);
  bytes.set(new TextEncoder().encode('#~\0\0'), at + 8);
  at += 12;
  view.setUint32(at, headerLength, true);
  view.setUint32(at + 4, pdbStream, true);
  bytes.set(new TextEncoder().encode('#Pdb\0\0\0\0'), at + 8);
  const body = new TextEncoder().encode(filler.repeat(bodyBytes));
  bytes.set(body.subarray(0, bodyBytes), headerLength + pdbStream);
  bytes.set(guidBytes(guid), headerLength);
  view.setUint32(headerLength + 16, Number.parseInt(stamp, 16), true);
  return { bytes, guid, stamp, idOffset: headerLength };
}

/** What a DLL's PdbChecksum entry records for the PDB: SHA-256 with the id zeroed, lower-case hex. */
export async function checksumOf(pdb: TestPdb): Promise<string> {
  const zeroed = pdb.bytes.slice();
  zeroed.fill(0, pdb.idOffset, pdb.idOffset + 20);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', zeroed));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The SSQP path a debugger asks for a Portable PDB by (SymbolStore: lower GUID, upper age marker). */
export function symbolPath(fileName: string, guid: string, age = 'FFFFFFFF'): string {
  const file = fileName.toLowerCase();
  return `/download/symbols/${file}/${guid}${age}/${file}`;
}
