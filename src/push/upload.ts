/**
 * Streams a push body's first part in, hashing and counting as it goes. The client sends the body
 * chunked, without Content-Length (protocol §2.2), and R2 put needs a known length
 * (cloudflare-platform.md §1), so the bytes are gathered into fixed-size parts (§2: every part but
 * the last the same size). A package that fits in one part, most of them, stays in memory and is
 * put once, straight to its final key (commit.ts); a larger one goes up as an R2 multipart upload
 * under uploads/ and is copied to its final key from there.
 *
 * Memory a push holds at most, whatever the package's size:
 * - one part buffer of PART_BYTES (partSink.ts), the package itself when it fits in one part, and
 *   the runtime's copy of it while it is being sent (an R2 put or uploadPart takes its value whole);
 * - the body chunk being parsed and the delimiter's held-back tail (multipart.ts);
 * - the entries read for validation, each under its cap (readPackage.ts): central directory
 *   ≤ 16 MiB, nuspec, readme and icon ≤ 1 MiB each (a symbols push: one PDB ≤ 32 MiB at a time);
 * - no copy of the package itself: the hash is a DigestStream (nothing retained), and the copy of
 *   a large package to its final key is a stream from R2 to R2.
 * Bench push (90 MB, runtime growth): 80 MB before, of which ~35 MB were part-sized arrays left to
 * the garbage collector, one per part; the local R2 simulator alone accounts for ~40 MB.
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
  /**
   * uploads/{uuid}: the package when it spans several parts, else an empty marker. It exists
   * while the push runs, which is how a rival push tells a live push from a dead one (commit.ts).
   */
  key: string;
  size: number;
  /** Base64 SHA-512 of the exact bytes: the catalog and registration packageHash. */
  sha512: string;
  /** The package when it fits in one part: held in memory, never stored under `key`. */
  bytes: Uint8Array | null;
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

/**
 * The package bytes of one push body: stored at `key` when they span several parts, else held in
 * memory with an empty marker at `key`. Nothing is left stored when it fails.
 */
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
  const sink = new PartSink(bucket, key, limits.partBytes, contentLength(request));
  const digest = new crypto.DigestStream('SHA-512');
  const hasher = digest.getWriter();
  let size = 0;
  let bytes: Uint8Array | null = null;
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
    bytes = await sink.close();
    // Only a marker: rivals read a live push from its upload key (commit.ts), and the package is put once, to its final key.
    if (bytes) await bucket.put(key, null);
    await skipRest(reader);
  } catch (error) {
    await giveUp(null);
    throw error;
  }
  return { key, size, sha512: base64(new Uint8Array(await digest.digest)), bytes };

  async function giveUp<T>(result: T): Promise<T> {
    // An aborted DigestStream rejects its digest; nobody will read it.
    digest.digest.catch(() => undefined);
    await Promise.allSettled([hasher.abort(), sink.abort(), reader.cancel()]);
    return result;
  }
}

/** An upper bound of the package's size, when the client sent one (the .NET client does not). */
function contentLength(request: Request): number | null {
  const header = request.headers.get('Content-Length');
  return header === null ? null : Number(header);
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
