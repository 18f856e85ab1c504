/**
 * Just enough multipart/form-data (RFC 7578 over RFC 2046) to stream the first part of a push body.
 * The push body's first part is the .nupkg; later parts, part names and file names are ignored
 * (protocol §2.2). The client sends it chunked with a quoted boundary (pitfall 9), and
 * request.formData() would buffer the whole body (docs/platform.md §1), hence this parser:
 * it passes content through and holds back only enough bytes to recognise the next delimiter.
 */
import { fail, type Failure } from '../problems';

const NOT_MULTIPART = 'Expected multipart/form-data with the package as its first part.';
/** RFC 2046 §5.1.1 allows 70 characters; anything far longer is not a real boundary. */
const MAX_BOUNDARY_LENGTH = 200;
/** Part headers of a file part are a few hundred bytes; a flood of header bytes is not a push. */
const MAX_PREAMBLE_AND_HEADERS = 64 * 1024;

const CR = 13;
const LF = 10;
const HYPHEN = 45;
const HEADERS_END = new Uint8Array([CR, LF, CR, LF]);

/** RFC 2045 §5.1 parameter syntax: `boundary=token` or `boundary="quoted string"`. */
const BOUNDARY_PARAM = /;\s*boundary\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s"]+))/i;

/** The boundary of a multipart/form-data Content-Type, quoted (as the .NET client sends it) or not. */
export function multipartBoundary(contentType: string | null): string | Failure {
  const mediaType = contentType?.split(';', 1)[0]?.trim().toLowerCase();
  const match = mediaType === 'multipart/form-data' ? BOUNDARY_PARAM.exec(contentType!) : null;
  const boundary = match ? (match[1]?.replace(/\\(.)/g, '$1') ?? match[2] ?? '') : '';
  if (boundary.length === 0 || boundary.length > MAX_BOUNDARY_LENGTH || /[^\x20-\x7e]/.test(boundary)) {
    return fail('badRequest', NOT_MULTIPART);
  }
  return boundary;
}

function indexOfBytes(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0]!;
  for (
    let i = haystack.indexOf(first, from);
    i >= 0 && i + needle.length <= haystack.length;
    i = haystack.indexOf(first, i + 1)
  ) {
    let j = 1;
    while (j < needle.length && haystack[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
  }
  return -1;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

type State = 'preamble' | 'headers' | 'content' | 'done';

/**
 * Feeds on the body's chunks and yields the first part's content. Memory is one chunk plus the
 * held-back tail (shorter than the delimiter), whatever the part's size.
 */
export class FirstPartParser {
  /** `\r\n--boundary`: a delimiter line (RFC 2046 §5.1.1: the CRLF belongs to the delimiter). */
  private readonly delimiter: Uint8Array;
  private state: State = 'preamble';
  private pending: Uint8Array = new Uint8Array(0);

  constructor(boundary: string) {
    this.delimiter = new TextEncoder().encode(`\r\n--${boundary}`);
  }

  get done(): boolean {
    return this.state === 'done';
  }

  /** Content bytes of the first part found so far in `chunk` (possibly none). */
  push(chunk: Uint8Array): Uint8Array | Failure {
    if (this.state === 'done') return new Uint8Array(0);
    let buffer = concat(this.pending, chunk);
    this.pending = new Uint8Array(0);
    if (this.state === 'preamble') {
      const rest = this.skipPreamble(buffer);
      if (rest === null) return this.holdHead(buffer);
      buffer = rest;
    }
    if (this.state === 'headers') {
      const rest = this.skipHeaders(buffer);
      if (rest === null) return this.holdHead(buffer);
      buffer = rest;
    }
    return this.content(buffer);
  }

  /** Called at the end of the body: the first part must have been closed by a delimiter. */
  end(): Failure | null {
    if (this.state === 'done') return null;
    if (this.state === 'content') return fail('badRequest', 'The multipart body ended inside the package part.');
    return fail('badRequest', NOT_MULTIPART);
  }

  /** Before the first delimiter: a preamble ending in CRLF, or nothing (RFC 2046 §5.1.1). */
  private skipPreamble(buffer: Uint8Array): Uint8Array | null {
    // Prefixing CRLF lets one search find a delimiter at the very start of the body too.
    const view = concat(new Uint8Array([CR, LF]), buffer);
    const at = indexOfBytes(view, this.delimiter, 0);
    if (at < 0) return null;
    const afterDelimiter = at + this.delimiter.length;
    const lineEnd = indexOfBytes(view, HEADERS_END.subarray(0, 2), afterDelimiter);
    if (lineEnd < 0) return null;
    // `--boundary--` straight away is a close delimiter: a body without any part.
    if (view[afterDelimiter] === HYPHEN && view[afterDelimiter + 1] === HYPHEN) return null;
    this.state = 'headers';
    // Keep the line's CRLF so that "no headers" is found as the same CRLFCRLF below.
    return view.subarray(lineEnd);
  }

  private skipHeaders(buffer: Uint8Array): Uint8Array | null {
    const at = indexOfBytes(buffer, HEADERS_END, 0);
    if (at < 0) return null;
    this.state = 'content';
    return buffer.subarray(at + HEADERS_END.length);
  }

  /** Keeps an unfinished preamble or header block, within bounds. */
  private holdHead(buffer: Uint8Array): Uint8Array | Failure {
    if (buffer.length > MAX_PREAMBLE_AND_HEADERS) return fail('badRequest', NOT_MULTIPART);
    this.pending = buffer;
    return new Uint8Array(0);
  }

  private content(buffer: Uint8Array): Uint8Array {
    const at = indexOfBytes(buffer, this.delimiter, 0);
    if (at >= 0) {
      this.state = 'done';
      return buffer.subarray(0, at);
    }
    // The last delimiter.length - 1 bytes could begin a delimiter completed by the next chunk.
    const keep = Math.min(buffer.length, this.delimiter.length - 1);
    this.pending = buffer.slice(buffer.length - keep);
    return buffer.subarray(0, buffer.length - keep);
  }
}
