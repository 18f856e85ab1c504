/**
 * Issue 11 item 9: a push whose Worker dies mid-body leaves an R2 multipart upload open, which R2's
 * binding cannot list. The upload's marker under uploads/ names it (src/store/partSink.ts), and the
 * repair pass aborts it once it is older than UNOWNED_BLOB_AGE_MS (src/documents/repair.ts).
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { repairFeed } from '../src/documents/repair';
import { blobKeys, UNOWNED_BLOB_AGE_MS } from '../src/store/blobs';
import { PartSink } from '../src/store/partSink';

/** A push that sent one part and then died: nothing aborts its multipart upload. */
async function abandonedUpload(): Promise<{ key: string; uploadId: string }> {
  const key = blobKeys.upload(crypto.randomUUID());
  const sink = new PartSink(env.PACKAGES, key, 1024);
  await sink.write(new Uint8Array(1025));
  const marker = await env.PACKAGES.head(key);
  const uploadId = marker?.customMetadata?.multipartUploadId;
  expect(uploadId, 'the marker names the multipart upload').toBeTypeOf('string');
  return { key, uploadId: uploadId! };
}

async function stillOpen(key: string, uploadId: string): Promise<boolean> {
  try {
    await env.PACKAGES.resumeMultipartUpload(key, uploadId).uploadPart(2, new Uint8Array(8));
    return true;
  } catch {
    return false;
  }
}

describe('interrupted multipart uploads', () => {
  it('are left alone while young, and aborted by the repair pass once old', async () => {
    const { key, uploadId } = await abandonedUpload();
    expect(await stillOpen(key, uploadId)).toBe(true);
    await repairFeed(env, new Date());
    expect(await stillOpen(key, uploadId)).toBe(true);
    expect(await env.PACKAGES.head(key)).not.toBeNull();

    await repairFeed(env, new Date(Date.now() + UNOWNED_BLOB_AGE_MS + 60_000));
    expect(await stillOpen(key, uploadId)).toBe(false);
    expect(await env.PACKAGES.head(key)).toBeNull();
  });

  it('are aborted at once when the push gives up, marker and all', async () => {
    const key = blobKeys.upload(crypto.randomUUID());
    const sink = new PartSink(env.PACKAGES, key, 1024);
    await sink.write(new Uint8Array(1025));
    const uploadId = (await env.PACKAGES.head(key))?.customMetadata?.multipartUploadId;
    await sink.abort();
    expect(await stillOpen(key, uploadId!)).toBe(false);
    expect(await env.PACKAGES.head(key)).toBeNull();
  });

  it('a completed upload replaces its marker with the package, which the repair pass removes as before', async () => {
    const key = blobKeys.upload(crypto.randomUUID());
    const sink = new PartSink(env.PACKAGES, key, 5 * 1024 * 1024);
    await sink.write(new Uint8Array(5 * 1024 * 1024 + 1));
    await sink.close();
    const stored = await env.PACKAGES.head(key);
    expect(stored?.size).toBe(5 * 1024 * 1024 + 1);
    expect(stored?.customMetadata?.multipartUploadId).toBeUndefined();
    await repairFeed(env, new Date(Date.now() + UNOWNED_BLOB_AGE_MS + 60_000));
    expect(await env.PACKAGES.head(key)).toBeNull();
  });
});
