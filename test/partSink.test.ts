/**
 * The part sink at its boundaries: a package of exactly one part stays in memory and stores
 * nothing; one byte more becomes a multipart upload of a full part and a one-byte part. Either
 * way the bytes and their SHA-512 are exact, whatever the chunking and whether a size was hinted.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { PartSink } from '../src/store/partSink';

/** R2's smallest part but the last (docs/platform.md §2). */
const PART = 5 * 1024 * 1024;

function randomBytes(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let at = 0; at < length; at += 65536) crypto.getRandomValues(bytes.subarray(at, at + 65536));
  return bytes;
}

async function sha512(bytes: Uint8Array): Promise<ArrayBuffer> {
  return crypto.subtle.digest('SHA-512', bytes);
}

/** Writes `bytes` in chunks of the given sizes, cycling through them. */
async function gather(sink: PartSink, bytes: Uint8Array, chunks: number[]) {
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const next = Math.min(bytes.length, at + chunks[i % chunks.length]!);
    await sink.write(bytes.subarray(at, next));
    at = next;
  }
  return sink.close();
}

async function stored(key: string): Promise<Uint8Array | null> {
  const object = await env.PACKAGES.get(key);
  return object ? new Uint8Array(await object.arrayBuffer()) : null;
}

describe('the part sink', () => {
  it('keeps a package of exactly one part in memory, with or without a size hint', async () => {
    const bytes = randomBytes(PART);
    for (const hint of [null, PART + 300]) {
      const key = `uploads/sink-one-${hint}`;
      const gathered = await gather(new PartSink(env.PACKAGES, key, PART, hint), bytes, [65_537, 7, 1_000_003]);
      expect(gathered.bytes?.length).toBe(PART);
      expect(gathered.bytes!.every((b, i) => b === bytes[i])).toBe(true);
      expect(new Uint8Array(gathered.sha512)).toEqual(new Uint8Array(await sha512(bytes)));
      expect(await env.PACKAGES.head(key)).toBeNull();
    }
  });

  it('sends one byte more as a multipart upload and stores the exact bytes', async () => {
    const bytes = randomBytes(PART + 1);
    const key = 'uploads/sink-two';
    const gathered = await gather(new PartSink(env.PACKAGES, key, PART), bytes, [PART, 1]);
    expect(gathered.bytes).toBeNull();
    expect(new Uint8Array(gathered.sha512)).toEqual(new Uint8Array(await sha512(bytes)));
    const object = await env.PACKAGES.head(key);
    // A multipart object's etag ends in its part count.
    expect(object?.etag).toMatch(/-2$/);
    const back = await stored(key);
    expect(back?.length).toBe(bytes.length);
    expect(new Uint8Array(await sha512(back!))).toEqual(new Uint8Array(gathered.sha512));
  }, 30_000);

  it('stores nothing once aborted after a part was sent', async () => {
    const key = 'uploads/sink-aborted';
    const sink = new PartSink(env.PACKAGES, key, PART);
    await sink.write(randomBytes(PART + 10));
    await sink.abort();
    await sink.abort();
    expect(await env.PACKAGES.head(key)).toBeNull();
  });
});
