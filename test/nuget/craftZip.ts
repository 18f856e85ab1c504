/**
 * Hand-built zip archives for the shapes fflate's zipSync does not write: data descriptors, zip64 records and
 * extra fields, comments, and deliberately broken headers. Layout per APPNOTE.TXT §4.3-4.5.
 */
import { deflateSync, strToU8 } from 'fflate';
import type { ReadRange } from '../../src/nuget/zip';
import { crc32 } from '../../src/nuget/zipInflate';

export interface CraftEntry {
  name: string;
  content: Uint8Array | string;
  /** 8 (deflate, default) or 0 (stored); other values are written as given with stored bytes. */
  method?: number;
  /** Flag bit 3: sizes and CRC only after the data, zero in the local header. */
  dataDescriptor?: boolean;
  /** Extra general purpose flags (e.g. 1 = encrypted). */
  flags?: number;
  /** Overrides for what the central directory declares. */
  declaredSize?: number;
  declaredCrc?: number;
  /** Point the central directory at another entry's local header (index into the entries). */
  sameOffsetAs?: number;
  /** A local extra field of this many bytes that the central directory does not have. */
  localExtraLength?: number;
}

export interface CraftOptions {
  /** Write zip64 end records and put every size and offset in zip64 extra fields. */
  zip64?: boolean;
  comment?: string;
  /** Overrides for the end of central directory record. */
  diskNumber?: number;
}

class Writer {
  private chunks: number[] = [];
  get length(): number {
    return this.chunks.length;
  }
  u16(v: number): this {
    this.chunks.push(v & 0xff, (v >>> 8) & 0xff);
    return this;
  }
  u32(v: number): this {
    return this.u16(v & 0xffff).u16((v >>> 16) & 0xffff);
  }
  u64(v: number): this {
    return this.u32(v % 0x1_0000_0000).u32(Math.floor(v / 0x1_0000_0000));
  }
  bytes(b: Uint8Array): this {
    for (const x of b) this.chunks.push(x);
    return this;
  }
  done(): Uint8Array {
    return Uint8Array.from(this.chunks);
  }
}

export function craftZip(entries: CraftEntry[], options: CraftOptions = {}): Uint8Array {
  const out = new Writer();
  const central = new Writer();
  const offsets: number[] = [];
  for (const entry of entries) {
    const content = typeof entry.content === 'string' ? strToU8(entry.content) : entry.content;
    const method = entry.method ?? 8;
    const data = method === 8 ? deflateSync(content) : content;
    const crc = crc32(content);
    const name = strToU8(entry.name);
    const flags = (entry.flags ?? 0) | (entry.dataDescriptor ? 0x0008 : 0) | 0x0800;
    const localExtra = new Uint8Array(entry.localExtraLength ? entry.localExtraLength + 4 : 0);
    if (entry.localExtraLength)
      localExtra.set([0xfe, 0xca, entry.localExtraLength & 0xff, entry.localExtraLength >> 8]);
    offsets.push(out.length);
    const offset = entry.sameOffsetAs === undefined ? out.length : offsets[entry.sameOffsetAs]!;
    out.u32(0x04034b50).u16(20).u16(flags).u16(method).u16(0).u16(0x21);
    if (entry.dataDescriptor) out.u32(0).u32(0).u32(0);
    else out.u32(crc).u32(data.length).u32(content.length);
    out.u16(name.length).u16(localExtra.length).bytes(name).bytes(localExtra).bytes(data);
    if (entry.dataDescriptor) out.u32(0x08074b50).u32(crc).u32(data.length).u32(content.length);

    const declaredSize = entry.declaredSize ?? content.length;
    const zip64 = new Writer();
    if (options.zip64) zip64.u16(0x0001).u16(24).u64(declaredSize).u64(data.length).u64(offset);
    central.u32(0x02014b50).u16(45).u16(45).u16(flags).u16(method).u16(0).u16(0x21);
    central.u32(entry.declaredCrc ?? crc);
    if (options.zip64) central.u32(0xffffffff).u32(0xffffffff);
    else central.u32(data.length).u32(declaredSize);
    central.u16(name.length).u16(zip64.length).u16(0).u16(0).u16(0).u32(0);
    central
      .u32(options.zip64 ? 0xffffffff : offset)
      .bytes(name)
      .bytes(zip64.done());
  }
  const directoryOffset = out.length;
  const directory = central.done();
  out.bytes(directory);
  const count = entries.length;
  if (options.zip64) {
    const recordOffset = out.length;
    out.u32(0x06064b50).u64(44).u16(45).u16(45).u32(0).u32(0).u64(count).u64(count);
    out.u64(directory.length).u64(directoryOffset);
    out.u32(0x07064b50).u32(0).u64(recordOffset).u32(1);
  }
  const comment = strToU8(options.comment ?? '');
  out
    .u32(0x06054b50)
    .u16(options.diskNumber ?? 0)
    .u16(0);
  out.u16(options.zip64 ? 0xffff : count).u16(options.zip64 ? 0xffff : count);
  out.u32(options.zip64 ? 0xffffffff : directory.length).u32(options.zip64 ? 0xffffffff : directoryOffset);
  out.u16(comment.length).bytes(comment);
  return out.done();
}

/** A ReadRange over a buffer that records every read, to prove what was and was not read. */
export function bufferReader(bytes: Uint8Array): { read: ReadRange; reads: [number, number][]; bytesRead(): number } {
  const reads: [number, number][] = [];
  return {
    reads,
    read: async (offset, length) => {
      reads.push([offset, length]);
      return bytes.slice(offset, offset + length);
    },
    bytesRead: () => reads.reduce((sum, [, length]) => sum + length, 0),
  };
}
