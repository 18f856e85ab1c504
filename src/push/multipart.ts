/**
 * Just enough multipart/form-data (RFC 7578 over RFC 2046) to stream the first part of a push body.
 * The push body's first part is the .nupkg; later parts, part names and file names are ignored
 * (protocol §2.2). The client sends it chunked with a quoted boundary (pitfall 9), and
 * request.formData() would buffer the whole body (docs/platform.md §1), hence this parser:
 * it passes content through and holds back only enough bytes to recognise the next delimiter.
 *
 * Line breaks: RFC 2046 §5.1.1 writes CRLF, but a bare LF is accepted wherever the grammar has a
 * line break (before a delimiter, after it, between and after the part's headers): Paket ends the
 * package with `\n--boundary--\n` (src/Paket.Core/Common/NetUtils.fs writes Environment.NewLine).
 * A delimiter is still recognised only right after a line break and only when followed by `--`
 * or by transport padding and a line break, and the part ends before that line break, so bytes
 * of the package are never taken for one.
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
const SPACE = 32;
const TAB = 9;
/** Transport padding (RFC 2046 §5.1.1 LWSP after a boundary): no client sends any; a few bytes are allowed. */
const MAX_PADDING = 16;

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

type Follows = { kind: 'close' } | { kind: 'line'; lineEnd: number } | { kind: 'no' } | { kind: 'more' };

/**
 * What follows a boundary ending at `at`: `--` (the close delimiter), padding and a line break
 * (`lineEnd`: the index of its LF), anything else (not a delimiter), or too few bytes to say.
 */
function follows(buffer: Uint8Array, at: number): Follows {
  if (at >= buffer.length) return { kind: 'more' };
  if (buffer[at] === HYPHEN) {
    if (at + 1 >= buffer.length) return { kind: 'more' };
    return buffer[at + 1] === HYPHEN ? { kind: 'close' } : { kind: 'no' };
  }
  let i = at;
  while (i < buffer.length && i - at <= MAX_PADDING && (buffer[i] === SPACE || buffer[i] === TAB)) i++;
  if (i - at > MAX_PADDING) return { kind: 'no' };
  if (i >= buffer.length) return { kind: 'more' };
  if (buffer[i] === LF) return { kind: 'line', lineEnd: i };
  if (buffer[i] !== CR) return { kind: 'no' };
  if (i + 1 >= buffer.length) return { kind: 'more' };
  return buffer[i + 1] === LF ? { kind: 'line', lineEnd: i + 1 } : { kind: 'no' };
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

/** The end of the first blank line at or after `from`, which is an LF: LF LF or LF CR LF; -1 if none yet. */
function blankLineEnd(buffer: Uint8Array, from: number): number {
  for (let i = buffer.indexOf(LF, from); i >= 0; i = buffer.indexOf(LF, i + 1)) {
    if (buffer[i + 1] === LF) return i + 2;
    if (buffer[i + 1] === CR && buffer[i + 2] === LF) return i + 3;
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
 * held-back tail (a delimiter and its padding), whatever the part's size; the preamble and part
 * headers (at most MAX_PREAMBLE_AND_HEADERS) are gathered in a buffer that grows geometrically
 * and is searched once, so tiny chunks cost no more than large ones.
 */
export class FirstPartParser {
  /** `\n--boundary`: a delimiter line, found by its LF (the CR before it, if any, belongs to it too). */
  private readonly delimiter: Uint8Array;
  private state: State = 'preamble';
  private pending: Uint8Array = new Uint8Array(0);
  /** The preamble and headers gathered so far, after a leading LF that lets a body start with its delimiter. */
  private head = new Uint8Array(1024);
  private headLength = 1;
  /** Where the next search of `head` starts: earlier bytes hold no match. */
  private scanFrom = 0;

  constructor(boundary: string) {
    this.delimiter = new TextEncoder().encode(`\n--${boundary}`);
    this.head[0] = LF;
  }

  get done(): boolean {
    return this.state === 'done';
  }

  /** Content bytes of the first part found so far in `chunk` (possibly none). */
  push(chunk: Uint8Array): Uint8Array | Failure {
    if (this.state === 'done') return new Uint8Array(0);
    if (this.state === 'content') {
      const buffer = concat(this.pending, chunk);
      this.pending = new Uint8Array(0);
      return this.content(buffer);
    }
    this.appendHead(chunk);
    const rest = this.parseHead();
    if (rest !== null) return this.content(rest);
    return this.headLength > MAX_PREAMBLE_AND_HEADERS ? fail('badRequest', NOT_MULTIPART) : new Uint8Array(0);
  }

  /** Called at the end of the body: the first part must have been closed by a delimiter. */
  end(): Failure | null {
    if (this.state === 'done') return null;
    if (this.state === 'content') {
      // A body may end right after the delimiter's boundary or its padding: the part did end.
      const at = this.pending[0] === CR ? 1 : 0;
      const tail = this.pending.subarray(at + this.delimiter.length);
      if (
        indexOfBytes(this.pending, this.delimiter, at) === at &&
        tail.every((byte) => byte === SPACE || byte === TAB)
      ) {
        this.state = 'done';
        return null;
      }
      return fail('badRequest', 'The multipart body ended inside the package part.');
    }
    return fail('badRequest', NOT_MULTIPART);
  }

  private appendHead(chunk: Uint8Array): void {
    if (this.headLength + chunk.length > this.head.length) {
      const grown = new Uint8Array(Math.max(this.headLength + chunk.length, this.head.length * 2));
      grown.set(this.head.subarray(0, this.headLength));
      this.head = grown;
    }
    this.head.set(chunk, this.headLength);
    this.headLength += chunk.length;
  }

  /** The content bytes after the part's headers once they are complete, else null (keep gathering). */
  private parseHead(): Uint8Array | null {
    const head = this.head.subarray(0, this.headLength);
    if (this.state === 'preamble') {
      const lineEnd = this.findDelimiterLine(head);
      if (lineEnd < 0) return null;
      this.state = 'headers';
      // From the delimiter line's LF, so that "no headers" is the same blank line as after the last header.
      this.scanFrom = lineEnd;
    }
    const contentStart = blankLineEnd(head, this.scanFrom);
    if (contentStart < 0) {
      // The last two bytes may begin a blank line completed by the next chunk.
      this.scanFrom = Math.max(this.scanFrom, head.length - 2);
      return null;
    }
    this.state = 'content';
    this.head = new Uint8Array(0);
    return head.subarray(contentStart);
  }

  /** Before the first delimiter: a preamble ending in a line break, or nothing (RFC 2046 §5.1.1). */
  private findDelimiterLine(head: Uint8Array): number {
    for (let at = indexOfBytes(head, this.delimiter, this.scanFrom); at >= 0; ) {
      const after = follows(head, at + this.delimiter.length);
      if (after.kind === 'line') return after.lineEnd;
      // `--boundary--` at once is a close delimiter: a body without any part; keep looking (in vain).
      if (after.kind === 'more') {
        this.scanFrom = at;
        return -1;
      }
      at = indexOfBytes(head, this.delimiter, at + 1);
    }
    this.scanFrom = Math.max(this.scanFrom, head.length - this.delimiter.length + 1);
    return -1;
  }

  private content(buffer: Uint8Array): Uint8Array {
    for (let at = indexOfBytes(buffer, this.delimiter, 0); at >= 0; at = indexOfBytes(buffer, this.delimiter, at + 1)) {
      const after = follows(buffer, at + this.delimiter.length);
      if (after.kind === 'no') continue;
      // The part ends before the delimiter's line break: CRLF, or a bare LF.
      const end = at > 0 && buffer[at - 1] === CR ? at - 1 : at;
      if (after.kind === 'more') {
        this.pending = buffer.slice(end);
        return buffer.subarray(0, end);
      }
      this.state = 'done';
      return buffer.subarray(0, end);
    }
    // The last delimiter.length - 1 bytes could begin a delimiter completed by the next chunk, and
    // one more is kept: the CR that would precede it.
    const keep = Math.min(buffer.length, this.delimiter.length);
    this.pending = buffer.slice(buffer.length - keep);
    return buffer.subarray(0, buffer.length - keep);
  }
}
