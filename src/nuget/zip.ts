/**
 * Reading a .nupkg's zip container by ranged reads (docs/platform.md §6): the tail for the end of central
 * directory record, the central directory, then only the entries a push needs. Memory stays bounded by what is
 * read; the whole archive is never loaded. Layout per PKWARE APPNOTE.TXT 6.3 (§4.3 structure, §4.4 fields,
 * §4.5.3 zip64 extra field).
 */
import { fail, isFailure, type Failure } from '../problems';
import type { ZipEntry } from './zipEntry';
import { compressedSizeProblem, contentPrefix, entryContent } from './zipInflate';

/** Reads `length` bytes at `offset`: an R2 ranged get in the Worker, a buffer slice in tests. */
export type ReadRange = (offset: number, length: number) => Promise<Uint8Array>;

export interface ZipLimits {
  maxCentralDirectoryBytes: number;
  /** nuget.org rejects packages with more entries (protocol §10.3). */
  maxEntries: number;
}

export const DEFAULT_ZIP_LIMITS: Readonly<ZipLimits> = Object.freeze({
  maxCentralDirectoryBytes: 16 * 1024 * 1024,
  maxEntries: 65_534,
});

const EOCD_SIGNATURE = 0x06054b50;
const EOCD_SIZE = 22;
const MAX_COMMENT = 0xffff;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_LOCATOR_SIZE = 20;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const ZIP64_EOCD_SIZE = 56;
const CENTRAL_HEADER_SIGNATURE = 0x02014b50;
const CENTRAL_HEADER_SIZE = 46;
const LOCAL_HEADER_SIGNATURE = 0x04034b50;
const LOCAL_HEADER_SIZE = 30;
/** Bit 0: encrypted; bit 6: strong encryption (APPNOTE §4.4.4). */
const ENCRYPTED_FLAGS = 0x0001 | 0x0040;

const notAZip = (why: string): Failure => fail('badRequest', `The package is not a valid zip archive: ${why}.`);

function u16(b: Uint8Array, at: number): number {
  return (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8);
}
function u32(b: Uint8Array, at: number): number {
  return (u16(b, at) | (u16(b, at + 2) << 16)) >>> 0;
}
/** 8-byte little-endian; NaN past 2^53, which no archive we accept can reach. */
function u64(b: Uint8Array, at: number): number {
  const high = u32(b, at + 4);
  return high >= 0x200000 ? NaN : high * 0x1_0000_0000 + u32(b, at);
}

async function readExactly(read: ReadRange, offset: number, length: number): Promise<Uint8Array | Failure> {
  if (length === 0) return new Uint8Array(0);
  const bytes = await read(offset, length);
  return bytes.length === length ? bytes : notAZip('it is truncated');
}

interface Directory {
  entryCount: number;
  size: number;
  offset: number;
  /** Where the central directory must end: the (zip64) end record. */
  limit: number;
}

/** APPNOTE §4.3.16: the EOCD sits last, followed only by its comment (≤ 65,535 bytes). */
async function findDirectory(read: ReadRange, size: number): Promise<Directory | Failure> {
  if (size < EOCD_SIZE) return notAZip('it is too short');
  const tailLength = Math.min(size, EOCD_SIZE + MAX_COMMENT + ZIP64_LOCATOR_SIZE);
  const tailStart = size - tailLength;
  const tail = await readExactly(read, tailStart, tailLength);
  if (isFailure(tail)) return tail;
  let at = tailLength - EOCD_SIZE;
  while (at >= 0 && !(u32(tail, at) === EOCD_SIGNATURE && at + EOCD_SIZE + u16(tail, at + 20) <= tailLength)) at--;
  if (at < 0) return notAZip('no end of central directory record');

  const disk = u16(tail, at + 4);
  const directoryDisk = u16(tail, at + 6);
  const entriesOnDisk = u16(tail, at + 8);
  let directory: Directory = {
    entryCount: u16(tail, at + 10),
    size: u32(tail, at + 12),
    offset: u32(tail, at + 16),
    limit: tailStart + at,
  };
  if (disk !== 0 || directoryDisk !== 0 || entriesOnDisk !== directory.entryCount) {
    return notAZip('spanned (multi-disk) archives are not supported');
  }
  const locatorAt = at - ZIP64_LOCATOR_SIZE;
  if (locatorAt >= 0 && u32(tail, locatorAt) === ZIP64_LOCATOR_SIGNATURE) {
    const zip64 = await readZip64Directory(read, u64(tail, locatorAt + 8), tailStart + locatorAt);
    if (isFailure(zip64)) return zip64;
    directory = zip64;
  } else if (directory.entryCount === 0xffff || directory.size === 0xffffffff || directory.offset === 0xffffffff) {
    return notAZip('zip64 end of central directory locator is missing');
  }
  // Written as !(≤) so that a NaN from an oversized zip64 value fails too.
  if (!(directory.offset + directory.size <= directory.limit)) return notAZip('the central directory is out of range');
  return directory;
}

/** APPNOTE §4.3.14-15: the zip64 end record, found through its locator just before the EOCD. */
async function readZip64Directory(read: ReadRange, recordAt: number, locatorAt: number): Promise<Directory | Failure> {
  if (!(recordAt + ZIP64_EOCD_SIZE <= locatorAt)) return notAZip('the zip64 end record is out of range');
  const record = await readExactly(read, recordAt, ZIP64_EOCD_SIZE);
  if (isFailure(record)) return record;
  if (u32(record, 0) !== ZIP64_EOCD_SIGNATURE) return notAZip('the zip64 end record is missing');
  const entriesOnDisk = u64(record, 24);
  const entryCount = u64(record, 32);
  if (u32(record, 16) !== 0 || u32(record, 20) !== 0 || entriesOnDisk !== entryCount) {
    return notAZip('spanned (multi-disk) archives are not supported');
  }
  return { entryCount, size: u64(record, 40), offset: u64(record, 48), limit: recordAt };
}

/**
 * APPNOTE §4.5.3: the zip64 extra field holds, in this order, only the values whose 32-bit (16-bit for the disk)
 * header fields are saturated.
 */
function applyZip64Extra(entry: ZipEntry, extra: Uint8Array): ZipEntry | Failure {
  const saturated = (['uncompressedSize', 'compressedSize', 'localHeaderOffset'] as const).filter(
    (key) => entry[key] === 0xffffffff,
  );
  if (saturated.length === 0) return entry;
  for (let at = 0; at + 4 <= extra.length; at += 4 + u16(extra, at + 2)) {
    if (u16(extra, at) !== 0x0001) continue;
    if (at + 4 + saturated.length * 8 > Math.min(extra.length, at + 4 + u16(extra, at + 2))) break;
    const patched = { ...entry };
    saturated.forEach((key, i) => {
      patched[key] = u64(extra, at + 4 + i * 8);
    });
    return patched;
  }
  return notAZip(`the zip64 sizes of '${entry.name}' are missing`);
}

function decodeName(bytes: Uint8Array, flags: number): string | Failure {
  // Bit 11 marks UTF-8 names (APPNOTE appendix D); .NET reads unmarked names as UTF-8 as well.
  try {
    return new TextDecoder('utf-8', { fatal: (flags & 0x0800) !== 0, ignoreBOM: false }).decode(bytes);
  } catch {
    return notAZip('an entry name is not valid UTF-8');
  }
}

function parseDirectory(cd: Uint8Array, directory: Directory): ZipEntry[] | Failure {
  const entries: ZipEntry[] = [];
  let at = 0;
  while (entries.length < directory.entryCount) {
    if (at + CENTRAL_HEADER_SIZE > cd.length || u32(cd, at) !== CENTRAL_HEADER_SIGNATURE) {
      return notAZip('the central directory is corrupt');
    }
    const nameEnd = at + CENTRAL_HEADER_SIZE + u16(cd, at + 28);
    const extraEnd = nameEnd + u16(cd, at + 30);
    const next = extraEnd + u16(cd, at + 32);
    if (next > cd.length) return notAZip('the central directory is corrupt');
    const flags = u16(cd, at + 8);
    const name = decodeName(cd.subarray(at + CENTRAL_HEADER_SIZE, nameEnd), flags);
    if (isFailure(name)) return name;
    if ((flags & ENCRYPTED_FLAGS) !== 0) return fail('badRequest', `The package entry '${name}' is encrypted.`);
    const entry = applyZip64Extra(
      {
        name,
        method: u16(cd, at + 10),
        flags,
        crc32: u32(cd, at + 16),
        compressedSize: u32(cd, at + 20),
        uncompressedSize: u32(cd, at + 24),
        localHeaderOffset: u32(cd, at + 42),
        dataLimit: directory.offset,
      },
      cd.subarray(nameEnd, extraEnd),
    );
    if (isFailure(entry)) return entry;
    entries.push(entry);
    at = next;
  }
  return entries;
}

/** Entries may not share or overlap their bytes: overlapping entries are the classic zip bomb. */
function assignDataLimits(entries: ZipEntry[], directoryOffset: number): ZipEntry[] | Failure {
  const byOffset = [...entries].sort((a, b) => a.localHeaderOffset - b.localHeaderOffset);
  for (let i = 0; i < byOffset.length; i++) {
    const entry = byOffset[i]!;
    entry.dataLimit = byOffset[i + 1]?.localHeaderOffset ?? directoryOffset;
    const minimumEnd = entry.localHeaderOffset + LOCAL_HEADER_SIZE + entry.compressedSize;
    if (!(minimumEnd <= entry.dataLimit))
      return notAZip(`the entry '${entry.name}' overlaps another or is out of range`);
  }
  return entries;
}

/** Lists every entry from the central directory: reads the tail, maybe the zip64 record, then the directory. */
export async function listZipEntries(
  read: ReadRange,
  size: number,
  limits: Partial<ZipLimits> = {},
): Promise<ZipEntry[] | Failure> {
  const { maxCentralDirectoryBytes, maxEntries } = { ...DEFAULT_ZIP_LIMITS, ...limits };
  const directory = await findDirectory(read, size);
  if (isFailure(directory)) return directory;
  if (!(directory.entryCount <= maxEntries)) {
    return fail('badRequest', `The package has more than ${maxEntries} entries.`);
  }
  if (!(directory.size <= maxCentralDirectoryBytes)) {
    return fail('badRequest', `The package's central directory is larger than ${maxCentralDirectoryBytes} bytes.`);
  }
  if (directory.size < directory.entryCount * CENTRAL_HEADER_SIZE) return notAZip('the central directory is truncated');
  const cd = await readExactly(read, directory.offset, directory.size);
  if (isFailure(cd)) return cd;
  const entries = parseDirectory(cd, directory);
  return isFailure(entries) ? entries : assignDataLimits(entries, directory.offset);
}

/**
 * Reads one entry's bytes. The local header is read first because its extra field may differ in length from
 * the central directory's (APPNOTE §4.3.7); sizes and CRC come from the central directory, which stays right
 * when the local header defers them to a data descriptor (flag bit 3, §4.3.9).
 */
export async function readZipEntry(read: ReadRange, entry: ZipEntry, maxBytes: number): Promise<Uint8Array | Failure> {
  if (!(entry.uncompressedSize <= maxBytes)) {
    return fail('badRequest', `The package entry '${entry.name}' is larger than ${maxBytes} bytes.`);
  }
  const header = await readExactly(read, entry.localHeaderOffset, LOCAL_HEADER_SIZE);
  if (isFailure(header)) return header;
  if (u32(header, 0) !== LOCAL_HEADER_SIGNATURE) return notAZip(`the local header of '${entry.name}' is missing`);
  if ((u16(header, 6) & ENCRYPTED_FLAGS) !== 0)
    return fail('badRequest', `The package entry '${entry.name}' is encrypted.`);
  const dataStart = entry.localHeaderOffset + LOCAL_HEADER_SIZE + u16(header, 26) + u16(header, 28);
  if (!(dataStart + entry.compressedSize <= entry.dataLimit)) {
    return notAZip(`the data of '${entry.name}' is out of range`);
  }
  const sizeProblem = compressedSizeProblem(entry);
  if (sizeProblem) return sizeProblem;
  const compressed = await readExactly(read, dataStart, entry.compressedSize);
  return isFailure(compressed) ? compressed : entryContent(entry, compressed);
}

/** Local header name and extra field room read along with the header: both are short in real packages. */
const LOCAL_HEADER_SLACK = 512;
/** Stored bytes read for a prefix: a deflate block's code tables and first symbols fit in far less. */
const PREFIX_STORED_BYTES = 4096;

/**
 * The first `length` bytes of an entry's content, read and inflated no further than that needs
 * (one ranged read, two if the local header is unusually long), with the bytes inflated to get
 * them; fewer bytes when the entry is shorter or its first 4 KiB of stored data do not yield them.
 */
export async function readZipEntryPrefix(
  read: ReadRange,
  entry: ZipEntry,
  length: number,
): Promise<{ bytes: Uint8Array; inflated: number } | Failure> {
  const sizeProblem = compressedSizeProblem(entry);
  if (sizeProblem) return sizeProblem;
  const storedLength = Math.min(entry.compressedSize, PREFIX_STORED_BYTES);
  const span = Math.min(
    entry.dataLimit - entry.localHeaderOffset,
    LOCAL_HEADER_SIZE + LOCAL_HEADER_SLACK + storedLength,
  );
  const first = await readExactly(read, entry.localHeaderOffset, span);
  if (isFailure(first)) return first;
  if (u32(first, 0) !== LOCAL_HEADER_SIGNATURE) return notAZip(`the local header of '${entry.name}' is missing`);
  if ((u16(first, 6) & ENCRYPTED_FLAGS) !== 0)
    return fail('badRequest', `The package entry '${entry.name}' is encrypted.`);
  const skip = LOCAL_HEADER_SIZE + u16(first, 26) + u16(first, 28);
  if (!(entry.localHeaderOffset + skip + entry.compressedSize <= entry.dataLimit)) {
    return notAZip(`the data of '${entry.name}' is out of range`);
  }
  const stored =
    skip + storedLength <= first.length
      ? first.subarray(skip, skip + storedLength)
      : await readExactly(read, entry.localHeaderOffset + skip, storedLength);
  return isFailure(stored) ? stored : contentPrefix(entry, stored, length);
}
