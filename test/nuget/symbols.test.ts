import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { pdbChecksum, pdbId, pdbKind } from '../../src/nuget/portablePdb';
import { checksumAdmits, parseSymbolKey, portablePdbSignature, symbolFileName } from '../../src/nuget/ssqp';
import { MAX_INDEXED_PDBS, MAX_PDB_BYTES, planPdbs, readPdb } from '../../src/nuget/symbolFiles';
import { listZipEntries } from '../../src/nuget/zip';
import { isFailure } from '../../src/problems';
import { checksumOf, portablePdb } from '../support/portablePdb';
import { bufferReader } from './craftZip';

const GUID = '5891a35f969f4b8e937f1882bf089f12';
const WINDOWS_PDB = strToU8('Microsoft C/C++ MSF 7.00\r\n\x1aDS\0\0\0');

describe('portable PDB id', () => {
  it('reads the GUID in .NET "N" form and the stamp from the #Pdb stream, as a DLL names them', async () => {
    const { bytes } = portablePdb(GUID, '9f695187');
    const kind = pdbKind(bytes.subarray(0, 1024), bytes.length);
    expect(kind.kind).toBe('portable');
    if (kind.kind !== 'portable') return;
    // The id bytes of a real Lib.pdb built by the .NET 10 SDK, and the key dotnet-symbol derives from its DLL.
    expect(
      [...bytes.subarray(kind.idOffset, kind.idOffset + 20)].map((b) => b.toString(16).padStart(2, '0')).join(' '),
    ).toBe('5f a3 91 58 9f 96 8e 4b 93 7f 18 82 bf 08 9f 12 87 51 69 9f');
    expect(pdbId(bytes, kind.idOffset)).toEqual({ guid: GUID, stamp: '9f695187' });
  });

  it('hashes the PDB with its id zeroed, leaving the bytes as they were', async () => {
    const pdb = portablePdb(GUID);
    const copy = pdb.bytes.slice();
    const kind = pdbKind(pdb.bytes, pdb.bytes.length);
    if (kind.kind !== 'portable') throw new Error('not portable');
    expect(await pdbChecksum(pdb.bytes, kind.idOffset)).toBe(await checksumOf(pdb));
    expect(pdb.bytes).toEqual(copy);
  });

  it.each([
    ['a Windows PDB', WINDOWS_PDB, 'windows'],
    ['text', strToU8('not a pdb at all'), 'other'],
    [
      'a metadata root without #Pdb',
      new Uint8Array([0x42, 0x53, 0x4a, 0x42, 1, 0, 1, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
      'other',
    ],
    ['a bare signature', new Uint8Array([0x42, 0x53, 0x4a, 0x42]), 'other'],
  ])('tells %s apart', (_name, bytes, kind) => {
    expect(pdbKind(bytes, bytes.length).kind).toBe(kind);
  });

  it('refuses an id that lies past the end of the file', async () => {
    const { bytes } = portablePdb(GUID);
    const kind = pdbKind(bytes, bytes.length);
    if (kind.kind !== 'portable') throw new Error('not portable');
    expect(pdbKind(bytes.subarray(0, kind.idOffset + 10), kind.idOffset + 10).kind).toBe('other');
  });
});

describe('SSQP keys', () => {
  it('matches file names and GUIDs case-insensitively, whatever the age', () => {
    for (const [file, signature, file2] of [
      ['lib.pdb', `${GUID}FFFFFFFF`, 'lib.pdb'],
      ['Lib.PDB', `${GUID.toUpperCase()}ffffffff`, 'LIB.pdb'],
      ['lib.pdb', `${GUID}1`, 'lib.pdb'],
      ['lib.pdb', `${GUID}9f695187`, 'lib.pdb'],
    ] as const) {
      expect(parseSymbolKey(file, signature, file2)).toEqual({ fileName: 'lib.pdb', guid: GUID });
    }
  });

  it.each([
    ['two different names', 'lib.pdb', `${GUID}FFFFFFFF`, 'other.pdb'],
    ['no age', 'lib.pdb', GUID, 'lib.pdb'],
    ['an age longer than 8 digits', 'lib.pdb', `${GUID}FFFFFFFFF`, 'lib.pdb'],
    ['too few digits', 'lib.pdb', `${GUID.slice(8)}FFFFFFFF`, 'lib.pdb'],
    ['non-hex digits', 'lib.pdb', `${GUID.slice(1)}gFFFFFFFF`, 'lib.pdb'],
    ['a compressed .pd_ probe', 'lib.pd_', `${GUID}FFFFFFFF`, 'lib.pd_'],
    ['a file.ptr probe', 'lib.pdb', `${GUID}FFFFFFFF`, 'file.ptr'],
    ['a PE image key', 'lib.dll', 'C99CC1D38000', 'lib.dll'],
    ['a path', 'a/lib.pdb', `${GUID}FFFFFFFF`, 'a/lib.pdb'],
  ])('names nothing with %s', (_name, file, signature, file2) => {
    expect(parseSymbolKey(file, signature, file2)).toBeNull();
  });

  it('takes the file name from Windows and package paths', () => {
    expect(symbolFileName('C:\\src\\obj\\Release\\Lib.pdb')).toBe('lib.pdb');
    expect(symbolFileName('lib/net10.0/Lib.pdb')).toBe('lib.pdb');
    expect(portablePdbSignature(GUID.toUpperCase())).toBe(`${GUID}ffffffff`);
  });

  it('admits a PDB by SymbolChecksum only when the header lists its checksum or names no SHA-256', () => {
    const sum = 'ab'.repeat(32);
    expect(checksumAdmits(null, sum)).toBe(true);
    expect(checksumAdmits(`SHA256:${sum.toUpperCase()}`, sum)).toBe(true);
    expect(checksumAdmits(`SHA256:${'cd'.repeat(32)};sha256:${sum};`, sum)).toBe(true);
    expect(checksumAdmits(`SHA384:${'cd'.repeat(48)}`, sum)).toBe(true);
    expect(checksumAdmits(`SHA256:${'cd'.repeat(32)}`, sum)).toBe(false);
    expect(checksumAdmits('garbage', sum)).toBe(false);
  });
});

describe('the PDBs of a push', () => {
  async function plan(files: Record<string, Uint8Array>, source: 'nupkg' | 'snupkg') {
    const zip = zipSync({ 'x.nuspec': strToU8('<package />'), ...files });
    const { read } = bufferReader(zip);
    const entries = await listZipEntries(read, zip.length);
    if (isFailure(entries)) throw new Error(entries.message);
    return { read, planned: await planPdbs(read, entries, source) };
  }

  it('reads each Portable PDB whole, with its key and checksum', async () => {
    const pdb = portablePdb(GUID);
    const { read, planned } = await plan(
      { 'lib/net10.0/Lib.pdb': pdb.bytes, 'lib/net10.0/Lib.dll': new Uint8Array(8) },
      'nupkg',
    );
    if (isFailure(planned)) throw new Error(planned.message);
    expect(planned.pdbs.map((p) => p.entry.name)).toEqual(['lib/net10.0/Lib.pdb']);
    const got = await readPdb(read, planned.pdbs[0]!);
    if (isFailure(got)) throw new Error(got.message);
    expect(got.bytes).toEqual(pdb.bytes);
    expect(got.file).toEqual({
      guid: GUID,
      stamp: pdb.stamp,
      checksum: await checksumOf(pdb),
      path: 'lib/net10.0/Lib.pdb',
      fileName: 'lib.pdb',
      size: pdb.bytes.length,
    });
  });

  it('refuses a .snupkg with a Windows PDB, and passes over one in a .nupkg', async () => {
    const pdb = portablePdb(GUID);
    const files = { 'lib/a/Lib.pdb': pdb.bytes, 'lib/b/Win.pdb': WINDOWS_PDB };
    const snupkg = (await plan(files, 'snupkg')).planned;
    expect(isFailure(snupkg) && snupkg.message).toMatch(/'lib\/b\/Win\.pdb' is a Windows PDB/);
    const nupkg = (await plan(files, 'nupkg')).planned;
    expect(!isFailure(nupkg) && nupkg.pdbs.map((p) => p.entry.name)).toEqual(['lib/a/Lib.pdb']);
  });

  it('reads the headers of at most MAX_INDEXED_PDBS PDBs of a .nupkg, of any kind', async () => {
    const files: Record<string, Uint8Array> = {};
    for (let i = 0; i <= MAX_INDEXED_PDBS; i++) files[`lib/W${i}.pdb`] = WINDOWS_PDB;
    const { planned } = await plan(files, 'nupkg');
    expect(!isFailure(planned) && [planned.skipped, planned.pdbs.length]).toEqual([1, 0]);
  });

  it('bounds the work by the declared sizes before reading any PDB', async () => {
    const big = new Uint8Array(MAX_PDB_BYTES + 1);
    big.set(portablePdb(GUID).bytes);
    const files = { 'lib/Big.pdb': big, 'lib/Lib.pdb': portablePdb(GUID).bytes };
    const snupkg = (await plan(files, 'snupkg')).planned;
    expect(isFailure(snupkg) && snupkg.message).toMatch(/holds the PDB 'lib\/Big\.pdb'/);
    const nupkg = (await plan(files, 'nupkg')).planned;
    expect(!isFailure(nupkg) && [nupkg.skipped, nupkg.pdbs.length]).toEqual([1, 1]);
  });
});
