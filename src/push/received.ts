/**
 * A received package wherever upload.ts left it: in memory when it fits in one part, else under
 * its uploads/ key. Read for validation by slicing or by ranged gets (docs/platform.md §6),
 * and stored under its final key by one put of the bytes held or by a streamed R2-to-R2 copy.
 */
import type { ReadRange } from '../nuget/zip';
import { r2Range } from './readPackage';
import type { Upload } from './upload';

export type Received = Pick<Upload, 'key' | 'bytes'>;

/** Slices of the bytes held share their memory: nothing reads the package twice into memory. */
export function receivedRange(bucket: R2Bucket, received: Received): ReadRange {
  const { bytes } = received;
  if (!bytes) return r2Range(bucket, received.key);
  // subarray counts a negative offset from the end; a range the zip reader did not mean must read short.
  return async (offset, length) =>
    offset >= 0 && length >= 0 ? bytes.subarray(offset, offset + length) : new Uint8Array(0);
}

/** Puts the package under `to`; false when `options.onlyIf` fails, and then nothing was stored. */
export async function storeReceived(
  bucket: R2Bucket,
  received: Received,
  to: string,
  options: R2PutOptions,
): Promise<boolean> {
  if (received.bytes) return (await bucket.put(to, received.bytes, options)) !== null;
  // An R2 body has a known length, so it can be put as it is read (docs/platform.md §1).
  const source = await bucket.get(received.key);
  if (!source) throw new Error(`R2 object ${received.key} disappeared during a push`);
  if (await bucket.put(to, source.body, options)) return true;
  await source.body.cancel().catch(() => undefined);
  return false;
}
