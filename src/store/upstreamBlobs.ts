/**
 * Package files cached from the upstream feed, in R2 under `upstream/` (the repair pass, which
 * removes blobs no version row owns, looks only under `packages/` and `uploads/`). Each file is
 * stored once, as the upstream sent it, and served from R2 for ever after: upstream package files
 * are immutable as this feed's own are (protocol §3.3).
 */
import type { PackageFile } from '../links';
import { deleteBlobs, forEachBlobListing } from './blobs';

const UPSTREAM = 'upstream/';

export const upstreamBlobKeys = {
  file: (lowerId: string, lowerVersion: string, file: PackageFile) => `${UPSTREAM}${lowerId}/${lowerVersion}/${file}`,
  idPrefix: (lowerId: string) => `${UPSTREAM}${lowerId}/`,
} as const;

/**
 * The upstream's body to the client and into R2 at once, in lockstep: a chunk goes to the client
 * only once R2 has taken it, and the next is read only when the client asks for it, so neither
 * side buffers (a `tee()` would buffer without bound for the slower one, docs/platform.md §1).
 * R2 needs the length up front (FixedLengthStream); a client that goes away leaves the rest to
 * be read into R2 alone. `stored` settles when the put has.
 */
export function storeWhileStreaming(
  bucket: R2Bucket,
  key: string,
  body: ReadableStream<Uint8Array>,
  length: number,
  contentType: string,
): { client: ReadableStream<Uint8Array>; stored: Promise<void> } {
  const fixed = new FixedLengthStream(length);
  const writer = fixed.writable.getWriter();
  const reader = body.getReader();
  const put = bucket.put(key, fixed.readable, { httpMetadata: { contentType } });
  const fail = async (error: unknown) => {
    await writer.abort(error).catch(() => undefined);
    await reader.cancel(error).catch(() => undefined);
  };
  const client = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) {
            await writer.close();
            controller.close();
            return;
          }
          await writer.write(value);
          controller.enqueue(value);
        } catch (error) {
          await fail(error);
          controller.error(error);
        }
      },
      async cancel() {
        try {
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            await writer.write(value);
          }
          await writer.close();
        } catch (error) {
          await fail(error);
        }
      },
    },
    { highWaterMark: 0 },
  );
  return { client, stored: put.then(() => undefined) };
}

export async function headUpstreamFile(bucket: R2Bucket, key: string): Promise<R2Object | null> {
  return bucket.head(key);
}

/** Every cached file of the id, a listing page at a time; answers the bytes removed. */
export async function deleteUpstreamBlobs(bucket: R2Bucket, lowerId: string): Promise<number> {
  let bytes = 0;
  await forEachBlobListing(bucket, upstreamBlobKeys.idPrefix(lowerId), async (objects) => {
    bytes += objects.reduce((sum, object) => sum + object.size, 0);
    await deleteBlobs(
      bucket,
      objects.map((object) => object.key),
    );
  });
  return bytes;
}
