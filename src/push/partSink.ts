/**
 * Writes a stream of unknown length to one R2 key. R2 put needs a known length and multipart
 * parts must all be the same size but the last (cloudflare-platform.md §2), so bytes are gathered
 * into parts of exactly partBytes; only one part is held in memory at a time. The multipart
 * upload starts with the first full part, so a package smaller than one part is a single put.
 */
export class PartSink {
  private chunks: Uint8Array[] = [];
  private buffered = 0;
  private upload: R2MultipartUpload | null = null;
  private parts: R2UploadedPart[] = [];

  constructor(
    private readonly bucket: R2Bucket,
    private readonly key: string,
    private readonly partBytes: number,
  ) {}

  async write(bytes: Uint8Array): Promise<void> {
    this.chunks.push(bytes);
    this.buffered += bytes.length;
    while (this.buffered >= this.partBytes) await this.sendPart(this.take(this.partBytes));
  }

  async close(): Promise<void> {
    const last = this.take(this.buffered);
    if (!this.upload) {
      await this.bucket.put(this.key, last);
      return;
    }
    if (last.length > 0) await this.sendPart(last);
    await this.upload.complete(this.parts);
  }

  /** Abandons the upload: aborts the multipart upload or removes the single object. Idempotent. */
  async abort(): Promise<void> {
    this.chunks = [];
    this.buffered = 0;
    const upload = this.upload;
    this.upload = null;
    if (upload) await upload.abort();
    await this.bucket.delete(this.key);
  }

  private async sendPart(part: Uint8Array): Promise<void> {
    this.upload ??= await this.bucket.createMultipartUpload(this.key);
    this.parts.push(await this.upload.uploadPart(this.parts.length + 1, part));
  }

  /** The first `length` buffered bytes as one array; the remainder stays buffered. */
  private take(length: number): Uint8Array {
    const out = new Uint8Array(length);
    let filled = 0;
    while (filled < length) {
      const chunk = this.chunks[0]!;
      const used = Math.min(chunk.length, length - filled);
      out.set(chunk.subarray(0, used), filled);
      filled += used;
      if (used === chunk.length) this.chunks.shift();
      else this.chunks[0] = chunk.subarray(used);
    }
    this.buffered -= length;
    return out;
  }
}
