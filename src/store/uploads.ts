/**
 * Push bodies in R2 while a push runs (src/push/upload.ts): under uploads/{uuid} when they span
 * several parts, else held in memory with an empty marker there. Read for validation by slicing
 * or by ranged gets (docs/platform.md §6), and stored under a final key by one put of the bytes
 * held or by a streamed R2-to-R2 copy.
 */
import type { ReadRange } from '../nuget/zip';

/** A received package: its upload key, and its bytes when it fitted in one part. */
export interface Received {
  key: string;
  bytes: Uint8Array | null;
}

/** Slices of the bytes held share their memory: nothing reads the package twice into memory. */
export function receivedRange(bucket: R2Bucket, received: Received): ReadRange {
  const { bytes } = received;
  if (!bytes) return r2Range(bucket, received.key);
  // subarray counts a negative offset from the end; a range the zip reader did not mean must read short.
  return async (offset, length) =>
    offset >= 0 && length >= 0 ? bytes.subarray(offset, offset + length) : new Uint8Array(0);
}

function r2Range(bucket: R2Bucket, key: string): ReadRange {
  return async (offset, length) => {
    const object = await bucket.get(key, { range: { offset, length } });
    if (!object) throw new Error(`R2 object ${key} disappeared while it was being read`);
    return new Uint8Array(await object.arrayBuffer());
  };
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

/** The empty marker of a push held in memory: rivals tell a live push by its upload key (src/push/commit.ts). */
export async function markUpload(bucket: R2Bucket, key: string): Promise<void> {
  await bucket.put(key, null);
}

export async function removeUpload(bucket: R2Bucket, key: string): Promise<void> {
  await bucket.delete(key);
}

/** Custom metadata of an upload key's marker naming the R2 multipart upload in progress there. */
const MULTIPART_UPLOAD_ID = 'multipartUploadId';

/**
 * The marker of a push body going up as an R2 multipart upload, naming the upload: the binding
 * cannot list uploads in progress, and a Worker that dies mid-body cannot abort its own. Completing
 * the upload replaces the marker with the package; aborting it removes the marker.
 */
export async function markMultipartUpload(bucket: R2Bucket, key: string, uploadId: string): Promise<void> {
  await bucket.put(key, null, { customMetadata: { [MULTIPART_UPLOAD_ID]: uploadId } });
}

export function isMultipartMarker(object: R2Object): boolean {
  return object.customMetadata?.[MULTIPART_UPLOAD_ID] !== undefined;
}

/**
 * Removes an interrupted upload (an object listed with its customMetadata): aborts the multipart
 * upload its marker names, if any, then deletes the key. An upload that completed or was aborted
 * meanwhile makes abort() fail, which is fine: then there is nothing to abort.
 */
export async function removeInterruptedUpload(bucket: R2Bucket, object: R2Object): Promise<void> {
  const uploadId = object.customMetadata?.[MULTIPART_UPLOAD_ID];
  if (uploadId) {
    await bucket
      .resumeMultipartUpload(object.key, uploadId)
      .abort()
      .catch(() => undefined);
  }
  await bucket.delete(object.key);
}
