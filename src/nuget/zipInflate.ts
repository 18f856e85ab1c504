/**
 * One zip entry's stored bytes → its content (APPNOTE.TXT §4.4.5 methods 0 stored and 8 deflate, RFC 1951),
 * with the output capped at the central directory's declared size so a zip bomb stops at the cap instead of
 * inflating into memory, and the CRC-32 checked (§4.4.7) so a corrupt entry is never taken as content.
 */
import { Inflate } from 'fflate';
import { fail, type Failure } from '../problems';
import type { ZipEntry } from './zipEntry';

/**
 * Deflate expands at most ~1032:1, so feeding 4 KiB at a time bounds what one push can inflate to ~4 MiB before
 * the cap is checked again.
 */
const INPUT_CHUNK = 4096;

/** A size no deflate encoder exceeds for `n` input bytes (stored blocks cost 5 bytes per 64 KiB), with headroom. */
function deflateBound(n: number): number {
  return n + Math.floor(n / 8) + 1024;
}

/** Checked before the entry's bytes are read, so a lying header cannot make the caller read more than it must. */
export function compressedSizeProblem(entry: ZipEntry): Failure | null {
  if (entry.method !== 0 && entry.method !== 8) {
    return fail('badRequest', `The package entry '${entry.name}' uses unsupported compression method ${entry.method}.`);
  }
  const plausible =
    entry.method === 0
      ? entry.compressedSize === entry.uncompressedSize
      : entry.compressedSize <= deflateBound(entry.uncompressedSize);
  return plausible ? null : corrupt(entry, 'its sizes are inconsistent');
}

function corrupt(entry: ZipEntry, why: string): Failure {
  return fail('badRequest', `The package entry '${entry.name}' is corrupt: ${why}.`);
}

function inflateCapped(entry: ZipEntry, compressed: Uint8Array): Uint8Array | Failure {
  const content = new Uint8Array(entry.uncompressedSize);
  let written = 0;
  let overflowed = false;
  const inflater = new Inflate((chunk) => {
    if (overflowed || written + chunk.length > content.length) {
      overflowed = true;
      return;
    }
    content.set(chunk, written);
    written += chunk.length;
  });
  try {
    let at = 0;
    do {
      const end = Math.min(at + INPUT_CHUNK, compressed.length);
      inflater.push(compressed.subarray(at, end), end === compressed.length);
      at = end;
    } while (at < compressed.length && !overflowed);
  } catch {
    return corrupt(entry, 'its deflate data is invalid');
  }
  if (overflowed) return fail('badRequest', `The package entry '${entry.name}' inflates past its declared size.`);
  if (written !== content.length) return corrupt(entry, 'it inflates short of its declared size');
  return content;
}

/** CRC-32 (ISO 3309 polynomial, reflected), as the zip format stores it. */
export function crc32(bytes: Uint8Array): number {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = table[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** The entry's content from its stored bytes; call compressedSizeProblem first. */
export function entryContent(entry: ZipEntry, compressed: Uint8Array): Uint8Array | Failure {
  const content = entry.method === 0 ? compressed : inflateCapped(entry, compressed);
  if (!(content instanceof Uint8Array)) return content;
  return crc32(content) === entry.crc32 ? content : corrupt(entry, 'its CRC-32 does not match');
}

/**
 * Input fed per step when only a prefix is wanted: deflate yields at most ~1032 bytes per input
 * byte, so one step inflates at most ~16.5 KiB before the prefix is checked again.
 */
const PREFIX_STEP = 16;

/**
 * The first `wanted` bytes of an entry's content from a prefix of its stored bytes, inflating no
 * further than needed (a step past them at most), and how many bytes were inflated to get them.
 * Fewer than `wanted` bytes when the prefix does not hold them. No CRC check: it covers the whole
 * content, which is never inflated here.
 */
export function contentPrefix(
  entry: ZipEntry,
  stored: Uint8Array,
  wanted: number,
): { bytes: Uint8Array; inflated: number } | Failure {
  if (entry.method === 0) return { bytes: stored.subarray(0, wanted), inflated: 0 };
  const bytes = new Uint8Array(wanted);
  let got = 0;
  let inflated = 0;
  const inflater = new Inflate((chunk) => {
    inflated += chunk.length;
    const used = Math.min(chunk.length, wanted - got);
    bytes.set(chunk.subarray(0, used), got);
    got += used;
  });
  try {
    for (let at = 0; at < stored.length && got < wanted; at += PREFIX_STEP) {
      const end = Math.min(at + PREFIX_STEP, stored.length);
      inflater.push(stored.subarray(at, end), end === entry.compressedSize);
    }
  } catch {
    return corrupt(entry, 'its deflate data is invalid');
  }
  return { bytes: bytes.subarray(0, got), inflated };
}
