import { deflateSync, strToU8, strFromU8, Zip, ZipDeflate, ZipPassThrough, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { isFailure, type Failure } from '../../src/problems';
import { listZipEntries, type ReadRange, readZipEntry, readZipEntryPrefix } from '../../src/nuget/zip';
import type { ZipEntry } from '../../src/nuget/zipEntry';
import { crc32 } from '../../src/nuget/zipInflate';
import { bufferReader, craftZip } from './craftZip';

async function list(bytes: Uint8Array, limits = {}): Promise<ZipEntry[]> {
  const entries = await listZipEntries(bufferReader(bytes).read, bytes.length, limits);
  if (isFailure(entries)) throw new Error(`expected entries, got: ${entries.message}`);
  return entries;
}

async function listFailure(bytes: Uint8Array, limits = {}): Promise<Failure> {
  const result = await listZipEntries(bufferReader(bytes).read, bytes.length, limits);
  if (!isFailure(result)) throw new Error(`expected a failure, got ${result.length} entries`);
  expect(result.failure).toBe('badRequest');
  return result;
}

async function contents(bytes: Uint8Array, maxBytes = 1 << 20): Promise<Record<string, string>> {
  const reader = bufferReader(bytes);
  const out: Record<string, string> = {};
  for (const entry of await list(bytes)) {
    const content = await readZipEntry(reader.read, entry, maxBytes);
    if (isFailure(content)) throw new Error(content.message);
    out[entry.name] = strFromU8(content);
  }
  return out;
}

async function readFailure(bytes: Uint8Array, name: string, maxBytes = 1 << 20): Promise<Failure> {
  const entry = (await list(bytes)).find((e) => e.name === name)!;
  const result = await readZipEntry(bufferReader(bytes).read, entry, maxBytes);
  if (!isFailure(result)) throw new Error('expected a failure');
  expect(result.failure).toBe('badRequest');
  return result;
}

/** Deterministic incompressible bytes. */
function noise(length: number, seed = 1): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

describe('crc32', () => {
  it('matches the CRC-32 check value', () => {
    expect(crc32(strToU8('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });
});

describe('listZipEntries and readZipEntry on well-formed archives', () => {
  it('reads deflated and stored entries written by fflate', async () => {
    const bytes = zipSync({
      'a.nuspec': strToU8('<package/>'.repeat(50)),
      'lib/net8.0/a.dll': [strToU8('stored bytes'), { level: 0 }],
      'empty.txt': new Uint8Array(0),
    });
    const entries = await list(bytes);
    expect(entries.map((e) => [e.name, e.method])).toEqual([
      ['a.nuspec', 8],
      ['lib/net8.0/a.dll', 0],
      ['empty.txt', 8],
    ]);
    expect(await contents(bytes)).toEqual({
      'a.nuspec': '<package/>'.repeat(50),
      'lib/net8.0/a.dll': 'stored bytes',
      'empty.txt': '',
    });
  });

  it('reads only the tail, the central directory and the entry asked for', async () => {
    const big = noise(3 << 20);
    const bytes = zipSync({ 'lib/big.dll': [big, { level: 0 }], 'x.nuspec': strToU8('<package/>') });
    const reader = bufferReader(bytes);
    const entries = await listZipEntries(reader.read, bytes.length);
    if (isFailure(entries)) throw new Error(entries.message);
    const listed = reader.bytesRead();
    expect(listed).toBeLessThanOrEqual(65_577 + 200);
    const nuspec = entries.find((e) => e.name === 'x.nuspec')!;
    expect(strFromU8((await readZipEntry(reader.read, nuspec, 1024)) as Uint8Array)).toBe('<package/>');
    expect(reader.bytesRead()).toBeLessThan(listed + 200);
    expect(reader.reads.every(([offset, length]) => offset >= 0 && offset + length <= bytes.length)).toBe(true);
  });

  it('reads data-descriptor entries as `dotnet pack` and fflate streaming write them', async () => {
    const chunks: Uint8Array[] = [];
    const zip = new Zip((error, chunk) => {
      if (error) throw error;
      chunks.push(chunk);
    });
    const nuspec = new ZipDeflate('streamed.nuspec', { level: 6 });
    zip.add(nuspec);
    nuspec.push(strToU8('<package>streamed</package>'), true);
    const stored = new ZipPassThrough('readme.md');
    zip.add(stored);
    stored.push(strToU8('# hi'), true);
    zip.end();
    const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const c of chunks) {
      bytes.set(c, at);
      at += c.length;
    }
    const entries = await list(bytes);
    expect(entries.every((e) => (e.flags & 0x0008) !== 0)).toBe(true);
    expect(await contents(bytes)).toEqual({ 'streamed.nuspec': '<package>streamed</package>', 'readme.md': '# hi' });
  });

  it('reads hand-built data-descriptor entries whose local header has zero sizes', async () => {
    const bytes = craftZip([
      { name: 'a.nuspec', content: 'descriptor '.repeat(20), dataDescriptor: true },
      { name: 'b.txt', content: 'stored', method: 0, dataDescriptor: true },
    ]);
    expect(await contents(bytes)).toEqual({ 'a.nuspec': 'descriptor '.repeat(20), 'b.txt': 'stored' });
  });

  it('reads zip64 archives: end record, locator and 0x0001 extra fields', async () => {
    const bytes = craftZip(
      [
        { name: 'z.nuspec', content: 'zip64 '.repeat(30) },
        { name: 'lib/z.dll', content: 'stored zip64', method: 0, dataDescriptor: true },
      ],
      { zip64: true },
    );
    const entries = await list(bytes);
    expect(entries.map((e) => [e.name, e.uncompressedSize])).toEqual([
      ['z.nuspec', 180],
      ['lib/z.dll', 12],
    ]);
    expect(entries[0]!.localHeaderOffset).toBe(0);
    expect(await contents(bytes)).toEqual({ 'z.nuspec': 'zip64 '.repeat(30), 'lib/z.dll': 'stored zip64' });
  });

  it('finds the end record behind a maximal 65,535-byte comment', async () => {
    const bytes = craftZip([{ name: 'a.nuspec', content: 'x' }], { comment: 'c'.repeat(0xffff) });
    expect(await contents(bytes)).toEqual({ 'a.nuspec': 'x' });
  });

  it('uses the local header extra length, not the central directory one', async () => {
    const bytes = craftZip([{ name: 'a.nuspec', content: 'extra', localExtraLength: 36 }]);
    expect(await contents(bytes)).toEqual({ 'a.nuspec': 'extra' });
  });
});

describe('hostile and broken archives', () => {
  const good = zipSync({ 'a.nuspec': strToU8(`<package>${'x'.repeat(500)}</package>`), 'b.txt': strToU8('b') });

  it('refuses bytes that are not a zip', async () => {
    expect((await listFailure(strToU8('this is not a zip at all, just text'))).message).toMatch(/not a valid zip/);
    expect((await listFailure(new Uint8Array(0))).message).toMatch(/too short/);
    await listFailure(noise(100_000));
  });

  it('refuses truncated archives', async () => {
    await listFailure(good.subarray(0, good.length - 10));
    await listFailure(good.subarray(0, 40));
    await listFailure(good.subarray(good.length - 60));
  });

  it('refuses a reader that comes back short', async () => {
    const result = await listZipEntries(async () => new Uint8Array(3), good.length);
    expect(isFailure(result) && result.message).toMatch(/truncated/);
  });

  it('stops a zip bomb at the cap: huge declared size', async () => {
    const bytes = zipSync({ 'bomb.nuspec': new Uint8Array(16 << 20) });
    expect(bytes.length).toBeLessThan(40_000);
    expect((await readFailure(bytes, 'bomb.nuspec', 1 << 20)).message).toMatch(/larger than 1048576 bytes/);
  });

  it('stops a zip bomb at the cap: small declared size, huge inflated output', async () => {
    // 16 MiB of zeros deflate to ~16 KB; the central directory claims 100,000 bytes, a size that explains them.
    const bytes = craftZip([{ name: 'bomb.nuspec', content: new Uint8Array(16 << 20), declaredSize: 100_000 }]);
    expect(bytes.length).toBeLessThan(40_000);
    const started = Date.now();
    expect((await readFailure(bytes, 'bomb.nuspec', 1 << 20)).message).toMatch(/inflates past its declared size/);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('refuses a compressed size that the declared size cannot explain, before reading it', async () => {
    const bytes = craftZip([{ name: 'a.bin', content: noise(50_000), declaredSize: 1000 }]);
    const entry = (await list(bytes))[0]!;
    const reader = bufferReader(bytes);
    const result = await readZipEntry(reader.read, entry, 1 << 20);
    expect(isFailure(result) && result.message).toMatch(/sizes are inconsistent/);
    expect(reader.bytesRead()).toBeLessThan(100);
  });

  it('refuses entries whose content does not match the central directory', async () => {
    const short = craftZip([{ name: 'a.txt', content: 'abc'.repeat(100), declaredSize: 301 }]);
    expect((await readFailure(short, 'a.txt')).message).toMatch(/short of its declared size/);
    const crc = craftZip([{ name: 'a.txt', content: 'abc', declaredCrc: 1234 }]);
    expect((await readFailure(crc, 'a.txt')).message).toMatch(/CRC-32/);
    const stored = craftZip([{ name: 'a.txt', content: 'abc', method: 0, declaredSize: 2 }]);
    expect((await readFailure(stored, 'a.txt')).message).toMatch(/sizes are inconsistent/);
  });

  it('refuses corrupt deflate data', async () => {
    const bytes = craftZip([{ name: 'a.txt', content: 'hello hello hello hello' }]);
    const data = deflateSync(strToU8('hello hello hello hello'));
    const at = 30 + 'a.txt'.length;
    bytes.fill(0xff, at, at + data.length);
    expect((await readFailure(bytes, 'a.txt')).message).toMatch(/corrupt/);
  });

  it('refuses encrypted entries and unknown compression methods', async () => {
    expect((await listFailure(craftZip([{ name: 'a.txt', content: 'x', flags: 1 }]))).message).toMatch(/encrypted/);
    const lzma = craftZip([{ name: 'a.txt', content: 'x', method: 14 }]);
    expect((await readFailure(lzma, 'a.txt')).message).toMatch(/unsupported compression method 14/);
  });

  it('refuses overlapping entries (the overlapping-file zip bomb)', async () => {
    const bytes = craftZip([
      { name: 'a.txt', content: 'a'.repeat(1000) },
      { name: 'b.txt', content: 'b', sameOffsetAs: 0 },
    ]);
    expect((await listFailure(bytes)).message).toMatch(/overlaps/);
  });

  it('refuses offsets outside the archive', async () => {
    const bytes = craftZip([{ name: 'a.txt', content: 'abc' }]);
    const cd = bytes.length - 22 - (46 + 5);
    const broken = bytes.slice();
    broken.set([0xff, 0xff, 0xff, 0x0f], cd + 42);
    expect((await listFailure(broken)).message).toMatch(/out of range/);
    const badDirectory = bytes.slice();
    badDirectory.set([0xff, 0xff, 0xff, 0x0f], bytes.length - 6);
    expect((await listFailure(badDirectory)).message).toMatch(/out of range/);
  });

  it('refuses zip64 values past 2^53 and zip64 entries without their extra field', async () => {
    const zip64 = craftZip([{ name: 'a.txt', content: 'abc' }], { zip64: true });
    const huge = zip64.slice();
    huge.fill(0xff, huge.length - 22 - 20 - 56 + 52, huge.length - 22 - 20);
    const reader = bufferReader(huge);
    const result = await listZipEntries(reader.read, huge.length);
    expect(isFailure(result) && result.message).toMatch(/out of range/);
    expect(reader.reads.every(([offset]) => Number.isSafeInteger(offset))).toBe(true);
    const noExtra = zip64.slice();
    const at = noExtra.findIndex(
      (_, i) => noExtra[i] === 1 && noExtra[i + 1] === 0 && noExtra[i + 2] === 24 && noExtra[i + 3] === 0,
    );
    noExtra[at] = 2;
    expect((await listFailure(noExtra)).message).toMatch(/zip64 sizes of 'a.txt' are missing/);
  });

  it('refuses a missing local header', async () => {
    const bytes = craftZip([{ name: 'a.txt', content: 'abc' }]);
    bytes[0] = 0;
    expect((await readFailure(bytes, 'a.txt')).message).toMatch(/local header/);
  });

  it('refuses spanned archives and archives over the limits', async () => {
    expect((await listFailure(craftZip([{ name: 'a', content: 'a' }], { diskNumber: 1 }))).message).toMatch(/spanned/);
    const three = craftZip(['a', 'b', 'c'].map((name) => ({ name, content: name })));
    expect((await listFailure(three, { maxEntries: 2 })).message).toMatch(/more than 2 entries/);
    expect((await listFailure(three, { maxCentralDirectoryBytes: 100 })).message).toMatch(
      /central directory is larger/,
    );
  });
});

describe('readZipEntryPrefix (issue 11 item 6)', () => {
  it('reads and inflates only as far as the wanted bytes, whatever the entry inflates to', async () => {
    const big = new Uint8Array(32 * 1024 * 1024);
    big.set([0x42, 0x53, 0x4a, 0x42]);
    const zip = zipSync({ 'a.pdb': [big, { level: 9 }], 'b.txt': strToU8('stored'.repeat(10)) }, { level: 0 });
    let bytesRead = 0;
    const read: ReadRange = async (offset, length) => {
      bytesRead += length;
      return zip.subarray(offset, offset + length);
    };
    const entries = await listZipEntries(read, zip.length);
    if (isFailure(entries)) throw new Error(entries.message);
    bytesRead = 0;
    const prefix = await readZipEntryPrefix(read, entries.find((e) => e.name === 'a.pdb')!, 4);
    if (isFailure(prefix)) throw new Error(prefix.message);
    expect([...prefix.bytes]).toEqual([0x42, 0x53, 0x4a, 0x42]);
    expect(prefix.inflated).toBeLessThan(64 * 1024);
    expect(bytesRead).toBeLessThanOrEqual(30 + 512 + 4096);
    const stored = await readZipEntryPrefix(read, entries.find((e) => e.name === 'b.txt')!, 4);
    expect(isFailure(stored) ? stored.message : new TextDecoder().decode(stored.bytes)).toBe('stor');
  });
});
