/**
 * Streams a push body's first part in, hashing and counting as it goes. The client sends the body
 * chunked, without Content-Length (protocol §2.2), and R2 put needs a known length
 * (docs/platform.md §1), so the bytes are gathered into fixed-size parts (docs/platform.md §2:
 * every part but the last the same size). A package that fits in one part, most of them, stays
 * in memory and is put once, straight to its final key (commit.ts); a larger one goes up as an R2
 * multipart upload under uploads/ and is copied to its final key from there: R2 has no other way
 * to rename, and the final key is known only once the nuspec, inside the zip, has been read.
 *
 * What a push holds in memory at most, whatever the package's size:
 * - one part buffer of PART_BYTES (src/store/partSink.ts). For a package of up to one part this is the
 *   package itself, kept until it is put; the only copy, since validation reads slices of it;
 * - the runtime's own copy of a part or package while R2 receives it (a buffer value is sent whole);
 * - one body chunk and the delimiter's held-back tail (multipart.ts);
 * - for a package in R2, the entries validation reads, each under its cap (src/nuget/readPackage.ts): central
 *   directory ≤ 16 MiB, nuspec, readme, icon ≤ 1 MiB each (symbols: one PDB ≤ 32 MiB at a time).
 * The hash is a DigestStream (nothing retained) and the copy to the final key streams from R2 to
 * R2, so nothing else grows with the package. Bench push, 90 MB, medians of three runs: the local
 * runtime grows 65 MB, a Worker doing only the same R2 writes 59 MB (most of it the R2 simulator's),
 * and 76 MB with the earlier sink, which left a fresh part-sized array behind per part.
 */
import type { Env } from '../env';
import { fail, isFailure, type Failure } from '../problems';
import type { ReceivedPackage } from '../nuget/versionRecord';
import { blobKeys } from '../store/blobs';
import { PartSink, type Gathered } from '../store/partSink';
import { markUpload, removeUpload, type Received } from '../store/uploads';
import { bodyReader, tooLarge } from './drain';
import { FirstPartParser, multipartBoundary } from './multipart';

/** 8 MiB parts keep a 250 MB push near 30 subrequests (Free plan: 50) and memory per push at one part. */
export const PART_BYTES = 8 * 1024 * 1024;

/** 100 MB: the request body limit of Free and Pro zones (docs/platform.md §1). */
const DEFAULT_MAX_PACKAGE_BYTES = 100 * 1024 * 1024;

/**
 * A received push body. `key` is uploads/{uuid}: the package when it spans several parts, else
 * an empty marker, and `bytes` the package held in memory. The key exists while the push runs,
 * which is how a rival push tells a live push from a dead one (commit.ts). `marked` settles once
 * the key exists: the marker is put while the package is validated, and must exist before the
 * push claims its version's key.
 */
export type Upload = Received & ReceivedPackage & { marked: Promise<void> };

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
 * afterwards whatever happened: the package lives on only where `use` stored it. A removal that
 * fails must not turn a committed push into a 5xx (the client's retry would meet a 409) nor hide
 * the error `use` threw: the upload is left to the repair pass (src/documents/repair.ts), which
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
    // A marker still being put would outlive a removal that overtook it.
    await upload.marked.catch(() => undefined);
    await removeUpload(bucket, upload.key).catch((error: unknown) =>
      console.error('upload not removed', upload.key, error),
    );
  }
}

/**
 * The package bytes of one push body: stored at `key` when they span several parts, else held in
 * memory with an empty marker at `key`. Nothing is left stored when it fails.
 */
async function receivePackage(
  request: Request,
  bucket: R2Bucket,
  key: string,
  limits: UploadLimits,
): Promise<Upload | Failure> {
  const boundary = multipartBoundary(request.headers.get('Content-Type'));
  if (isFailure(boundary)) return boundary;
  const body = request.body;
  if (!body) return fail('badRequest', 'Expected multipart/form-data with the package as its first part.');

  const reader = bodyReader(body, request);
  const parser = new FirstPartParser(boundary);
  const sink = new PartSink(bucket, key, limits.partBytes, contentLength(request));
  let size = 0;
  let gathered: Gathered;
  let marked: Promise<void> = Promise.resolve();
  try {
    while (!parser.done) {
      const chunk = await reader.read();
      if (chunk === null) break;
      if (isFailure(chunk)) return await giveUp(chunk);
      const content = parser.push(chunk);
      if (isFailure(content)) return await giveUp(content);
      size += content.length;
      if (size > limits.maxBytes) {
        await sink.abort();
        return await giveUp(await tooLarge(reader, parser, size, limits.maxBytes));
      }
      if (content.length === 0) continue;
      await sink.write(content);
    }
    const unfinished = parser.end();
    if (unfinished) return await giveUp(unfinished);
    gathered = await sink.close();
    // Only a marker: rivals read a live push from its upload key (commit.ts), and the package is put once, to its final key.
    if (gathered.bytes) {
      marked = markUpload(bucket, key);
      // Handled where it is awaited (the claim, the removal); this only keeps it from counting as unhandled meanwhile.
      marked.catch(() => undefined);
    }
    // Later parts are ignored (protocol §2.2) but read, so that the client finishes sending (drain.ts).
    await reader.drain();
  } catch (error) {
    await Promise.allSettled([marked, giveUp(null)]);
    throw error;
  }
  return { key, size, sha512: base64(new Uint8Array(gathered.sha512)), bytes: gathered.bytes, marked };

  /** Refused or failed part-way: the body is still read to its end (drain.ts), and nothing stays stored. */
  async function giveUp<T>(result: T): Promise<T> {
    await Promise.allSettled([sink.abort(), reader.drain()]);
    return result;
  }
}

/** An upper bound of the package's size, when the client sent one (the .NET client does not). */
function contentLength(request: Request): number | null {
  const header = request.headers.get('Content-Length');
  return header === null ? null : Number(header);
}

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
