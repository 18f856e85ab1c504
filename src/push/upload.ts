/**
 * Streams a push body's first part into R2 under a temporary key, hashing and counting as it goes.
 * The client sends the body chunked, without Content-Length (protocol §2.2), and R2 put needs a
 * known length (cloudflare-platform.md §1), so the bytes go up as an R2 multipart upload of
 * fixed-size parts (§2: every part but the last the same size), one part in memory at a time.
 * A package smaller than one part is a single put.
 */
import type { Env } from '../env';
import { fail, isFailure, type Failure } from '../problems';
import { blobKeys } from '../store/blobs';
import { FirstPartParser, multipartBoundary } from './multipart';
import { PartSink } from './partSink';

/** 8 MiB parts keep a 250 MB push near 30 subrequests (Free plan: 50) and memory per push at one part. */
export const PART_BYTES = 8 * 1024 * 1024;

/** 100 MB: the request body limit of Free and Pro zones (cloudflare-platform.md §1). */
const DEFAULT_MAX_PACKAGE_BYTES = 100 * 1024 * 1024;

export interface Upload {
  key: string;
  size: number;
  /** Base64 SHA-512 of the exact bytes: the catalog and registration packageHash. */
  sha512: string;
}

export interface UploadLimits {
  maxBytes: number;
  /** R2 parts are at least 5 MiB except the last. */
  partBytes: number;
}

/** The feed's limits: MAX_PACKAGE_BYTES (wrangler.toml [vars]) and PART_BYTES. */
export function uploadLimits(env: Pick<Env, 'MAX_PACKAGE_BYTES'>): UploadLimits {
  const maxBytes = Number(env.MAX_PACKAGE_BYTES ?? DEFAULT_MAX_PACKAGE_BYTES);
  if (!Number.isSafeInteger(maxBytes) || maxBytes <= 0) {
    throw new Error(`MAX_PACKAGE_BYTES must be a positive whole number of bytes, not '${env.MAX_PACKAGE_BYTES}'`);
  }
  return { maxBytes, partBytes: PART_BYTES };
}

/**
 * Receives a push body under a fresh upload key, hands it to `use`, and removes the upload
 * afterwards whatever happened: its bytes live on only as the copies `use` made. A removal that
 * fails must not turn a committed push into a 5xx (the client's retry would meet a 409) nor hide
 * the error `use` threw: the upload is left to the repair pass (src/pages/repair.ts), which
 * deletes uploads older than an hour.
 */
export async function withUpload<T>(
  request: Request,
  bucket: R2Bucket,
  limits: UploadLimits,
  use: (upload: Upload) => Promise<T | Failure>,
): Promise<T | Failure> {
  const upload = await receivePackage(request, bucket, blobKeys.upload(crypto.randomUUID()), limits);
  if (isFailure(upload)) return upload;
  try {
    return await use(upload);
  } finally {
    await bucket.delete(upload.key).catch((error: unknown) => console.error('upload not removed', upload.key, error));
  }
}

/** The package bytes of one push body, stored at `key`; nothing is left stored when it fails. */
export async function receivePackage(
  request: Request,
  bucket: R2Bucket,
  key: string,
  limits: UploadLimits,
): Promise<Upload | Failure> {
  const boundary = multipartBoundary(request.headers.get('Content-Type'));
  if (isFailure(boundary)) return boundary;
  const body = request.body;
  if (!body) return fail('badRequest', 'Expected multipart/form-data with the package as its first part.');

  const reader = body.getReader();
  const parser = new FirstPartParser(boundary);
  const sink = new PartSink(bucket, key, limits.partBytes);
  const digest = new crypto.DigestStream('SHA-512');
  const hasher = digest.getWriter();
  let size = 0;
  try {
    while (!parser.done) {
      const { done, value } = await reader.read();
      if (done) break;
      const content = parser.push(value);
      if (isFailure(content)) return await giveUp(content);
      size += content.length;
      if (size > limits.maxBytes) {
        await sink.abort();
        return await giveUp(await tooLarge(reader, parser, size, limits.maxBytes));
      }
      if (content.length === 0) continue;
      await hasher.write(content);
      await sink.write(content);
    }
    const unfinished = parser.end();
    if (unfinished) return await giveUp(unfinished);
    await hasher.close();
    await sink.close();
    await skipRest(reader);
  } catch (error) {
    await giveUp(null);
    throw error;
  }
  return { key, size, sha512: base64(new Uint8Array(await digest.digest)) };

  async function giveUp<T>(result: T): Promise<T> {
    // An aborted DigestStream rejects its digest; nobody will read it.
    digest.digest.catch(() => undefined);
    await Promise.allSettled([hasher.abort(), sink.abort(), reader.cancel()]);
    return result;
  }
}

/** Later parts are ignored (protocol §2.2), but read, up to a bound, so the client finishes sending before it is answered. */
const MAX_IGNORED_BYTES = 1024 * 1024;

async function skipRest(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
  for (let skipped = 0; skipped <= MAX_IGNORED_BYTES; ) {
    const { done, value } = await reader.read();
    if (done) return reader.releaseLock();
    skipped += value.length;
  }
  await reader.cancel();
}

/**
 * Reads the rest of the part only to count it, so the message can say how large the package is
 * and the client reads a response rather than a reset connection. The platform's own body limit
 * (cloudflare-platform.md §1) bounds how long this can go on.
 */
async function tooLarge(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  parser: FirstPartParser,
  counted: number,
  maxBytes: number,
): Promise<Failure> {
  let size = counted;
  while (!parser.done) {
    const { done, value } = await reader.read();
    if (done) break;
    const content = parser.push(value);
    if (isFailure(content)) break;
    size += content.length;
  }
  return fail('tooLarge', `The package is ${size} bytes; this feed accepts at most ${maxBytes}.`);
}

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
