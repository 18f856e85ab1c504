/**
 * The worst-case symbol push of issue 11 item 6: a .snupkg of about 1 MB whose PDBs are each a
 * Portable PDB signature followed by zeros, deflated ~1000:1, so that inflating them in full would
 * cost 32 MiB apiece. Built by hand (APPNOTE.TXT §4.3) so that the one deflated payload is computed
 * once and shared by every entry: compressing each entry anew would take far longer than the push.
 */
import { strToU8, zipSync } from 'fflate';

/**
 * One entry as fflate stores it (its CRC-32 and stored bytes read back from the local header),
 * to be repeated by rawZip without compressing it again.
 * @param {string} name @param {Uint8Array} bytes @param {0 | 9} level
 * @returns {RawEntry}
 */
function storedEntry(name, bytes, level) {
  const zip = zipSync({ [name]: [bytes, { level }] });
  const header = new DataView(zip.buffer, zip.byteOffset, 30);
  const start = 30 + header.getUint16(26, true) + header.getUint16(28, true);
  return {
    name,
    method: level === 0 ? 0 : 8,
    stored: zip.subarray(start, start + header.getUint32(18, true)),
    size: bytes.length,
    crc: header.getUint32(14, true),
  };
}

/**
 * @typedef {{ name: string, method: 0 | 8, stored: Uint8Array, size: number, crc: number }} RawEntry
 * @param {RawEntry[]} entries
 */
function rawZip(entries) {
  /** @type {Uint8Array[]} */
  const out = [];
  /** @type {Uint8Array[]} */
  const central = [];
  let offset = 0;
  for (const entry of entries) {
    const name = strToU8(entry.name);
    const local = new DataView(new ArrayBuffer(30));
    local.setUint32(0, 0x04034b50, true);
    local.setUint16(4, 20, true);
    local.setUint16(8, entry.method, true);
    local.setUint32(14, entry.crc, true);
    local.setUint32(18, entry.stored.length, true);
    local.setUint32(22, entry.size, true);
    local.setUint16(26, name.length, true);
    const header = new DataView(new ArrayBuffer(46));
    header.setUint32(0, 0x02014b50, true);
    header.setUint16(4, 20, true);
    header.setUint16(6, 20, true);
    header.setUint16(10, entry.method, true);
    header.setUint32(16, entry.crc, true);
    header.setUint32(20, entry.stored.length, true);
    header.setUint32(24, entry.size, true);
    header.setUint16(28, name.length, true);
    header.setUint32(42, offset, true);
    out.push(new Uint8Array(local.buffer), name, entry.stored);
    central.push(new Uint8Array(header.buffer), name);
    offset += 30 + name.length + entry.stored.length;
  }
  const centralSize = central.reduce((sum, part) => sum + part.length, 0);
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, entries.length, true);
  end.setUint16(10, entries.length, true);
  end.setUint32(12, centralSize, true);
  end.setUint32(16, offset, true);
  const parts = [...out, ...central, new Uint8Array(end.buffer)];
  const zip = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    zip.set(part, at);
    at += part.length;
  }
  return zip;
}

/**
 * @param {string} id
 * @param {string} version
 * @param {{ count?: number, pdbBytes?: number }} [options] 30 PDBs of 32 MiB by default: ~1 MB.
 * @returns {Uint8Array}
 */
export function pdbBombSnupkg(id, version, { count = 30, pdbBytes = 32 * 1024 * 1024 } = {}) {
  const pdb = new Uint8Array(pdbBytes);
  pdb.set([0x42, 0x53, 0x4a, 0x42, 1, 0, 1, 0]);
  const pdbEntry = storedEntry('pdb', pdb, 9);
  /** @param {string} name @param {string} text */
  const text = (name, text) => storedEntry(name, strToU8(text), 0);
  return rawZip([
    text(
      `${id}.nuspec`,
      `<?xml version="1.0" encoding="utf-8"?><package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd"><metadata><id>${id}</id><version>${version}</version><description>Symbols.</description><packageTypes><packageType name="SymbolsPackage" /></packageTypes></metadata></package>`,
    ),
    text('[Content_Types].xml', '<?xml version="1.0" encoding="utf-8"?><Types />'),
    ...Array.from({ length: count }, (_, i) => ({ ...pdbEntry, name: `lib/net8.0/Bomb${i}.pdb` })),
  ]);
}
