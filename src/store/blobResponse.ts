/**
 * Package files streamed from R2 (protocol §3.3): the exact stored bytes, one R2 operation per
 * request. GET hands the client's If-None-Match and Range to get(); HEAD uses head(), which
 * reads no body. The blobs are immutable (src/store/blobs.ts), hence IMMUTABLE.
 */
import { IMMUTABLE, notModified, validatorHeaders } from '../cachePolicy';

export interface BlobFile {
  key: string;
  /** Overrides the type stored with the object (an icon keeps its own). */
  contentType?: string;
}

/**
 * The one range of a `Range: bytes=…` header (RFC 9110 §14.1.2) as R2 takes it; null to serve
 * the whole file. A server may ignore Range (§14.2), and does so for several ranges (a
 * multipart/byteranges body), for units other than bytes and for invalid syntax (§14.1.1).
 */
export function requestedRange(header: string | null): R2Range | 'unsatisfiable' | null {
  const match = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header ?? '');
  if (!match) return null;
  const [first = '', last = ''] = match.slice(1);
  const [start, end] = [Number(first), Number(last)];
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end)) return null;
  if (first === '') {
    if (last === '') return null;
    // A zero-length suffix selects nothing (§14.1.3).
    return end === 0 ? 'unsatisfiable' : { suffix: end };
  }
  if (last === '') return { offset: start };
  return end < start ? null : { offset: start, length: end - start + 1 };
}

/** The bytes a satisfiable range selects from an object of `size`; R2 clamps the same way. */
function selected(range: R2Range, size: number): { offset: number; length: number } {
  if ('suffix' in range) {
    const offset = Math.max(0, size - range.suffix);
    return { offset, length: size - offset };
  }
  const offset = range.offset ?? 0;
  return { offset, length: Math.min(range.length ?? size - offset, size - offset) };
}

/**
 * Every header of a file response, as one plain object: the Response builds its Headers once
 * (a download is on the hot path; each Headers call crosses into the runtime).
 */
function fileHeaders(object: R2Object, file: BlobFile, length: number): Record<string, string> {
  return {
    'Content-Type': file.contentType ?? object.httpMetadata?.contentType ?? 'application/octet-stream',
    ...validatorHeaders({ etag: object.httpEtag, cacheControl: IMMUTABLE }),
    'Accept-Ranges': 'bytes',
    'Content-Length': String(length),
  };
}

/** RFC 9110 §15.5.17: 416 names the current length. */
function unsatisfiable(size: number): Response {
  return new Response(null, { status: 416, headers: { 'Content-Range': `bytes */${size}`, 'Accept-Ranges': 'bytes' } });
}

/** GET: 200, 206, 304 or 416; null when there is no such blob. */
export async function blobResponse(bucket: R2Bucket, request: Request, file: BlobFile): Promise<Response | null> {
  // If-Range asks for the range only if the client's copy is current; sending the whole file
  // is always a valid answer to it (RFC 9110 §13.1.5), and needs no comparison.
  const rangeHeader = request.headers.get('Range');
  const range = rangeHeader === null || request.headers.has('If-Range') ? null : requestedRange(rangeHeader);
  if (range === 'unsatisfiable') {
    const object = await bucket.head(file.key);
    return object && unsatisfiable(object.size);
  }
  const ifNoneMatch = request.headers.get('If-None-Match');
  const onlyIf = ifNoneMatch ? new Headers({ 'If-None-Match': ifNoneMatch }) : undefined;
  let object: R2Object | R2ObjectBody | null;
  try {
    object = await bucket.get(file.key, { onlyIf, range: range ?? undefined });
  } catch (error) {
    // R2 refuses a range that starts at or past the end; a HEAD tells the length for the 416.
    const start = range && 'offset' in range ? (range.offset ?? 0) : null;
    const head = start === null ? null : await bucket.head(file.key);
    if (head && start !== null && start >= head.size) return unsatisfiable(head.size);
    throw error;
  }
  if (!object) return null;
  // Without a body, If-None-Match matched (R2 compares as RFC 9110 §13.1.2 says): the copy is current.
  if (!('body' in object)) {
    return new Response(null, {
      status: 304,
      headers: validatorHeaders({ etag: object.httpEtag, cacheControl: IMMUTABLE }),
    });
  }
  if (!range) return new Response(object.body, { headers: fileHeaders(object, file, object.size) });
  const { offset, length } = selected(range, object.size);
  const headers = {
    ...fileHeaders(object, file, length),
    'Content-Range': `bytes ${offset}-${offset + length - 1}/${object.size}`,
  };
  return new Response(object.body, { status: 206, headers });
}

/** HEAD (protocol §12): the GET's headers from R2 metadata alone. */
export async function blobHeadResponse(bucket: R2Bucket, request: Request, file: BlobFile): Promise<Response | null> {
  const object = await bucket.head(file.key);
  if (!object) return null;
  const unchanged = notModified(request, { etag: object.httpEtag, cacheControl: IMMUTABLE });
  if (unchanged) return unchanged;
  return new Response(null, { headers: fileHeaders(object, file, object.size) });
}
