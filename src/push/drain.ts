/**
 * The bytes of a push body that are read but not kept: the parts after the package, the rest of a
 * package found too large, and the rest of a body refused part-way. All are read to the end, never
 * cancelled: a cancelled request body leaves its unread bytes on the client's connection, and
 * `wrangler dev` then breaks the next request on that keep-alive connection (503 "Your worker
 * restarted mid-request", or a reset; issue 11). Reading costs I/O, not CPU, and is bounded by the
 * body's size, which the zone's plan caps before the Worker runs (docs/platform.md §1).
 *
 * Also the one place that tells a client that went away from a failure: a body whose read fails
 * is a client that disconnected mid-push, an expected event, logged once as a warning.
 */
import { fail, isFailure, type Failure } from '../problems';
import type { FirstPartParser } from './multipart';

/** The answer nobody will read: the client is gone. */
const DISCONNECTED = 'The client disconnected before the push body was complete.';

export interface BodyReader {
  /** The next chunk, null at the end, or a failure once the client has disconnected. */
  read(): Promise<Uint8Array | null | Failure>;
  /** Reads the rest of the body and drops it (see above); never throws. */
  drain(): Promise<void>;
}

export function bodyReader(body: ReadableStream<Uint8Array>, request: Pick<Request, 'method' | 'url'>): BodyReader {
  const reader = body.getReader();
  let lost = false;
  const read = async (): Promise<Uint8Array | null | Failure> => {
    if (lost) return fail('badRequest', DISCONNECTED);
    try {
      const { done, value } = await reader.read();
      return done ? null : value;
    } catch (error) {
      lost = true;
      // Bounded: the path only (no query), and the error's first line.
      const why = String(error instanceof Error ? error.message : error)
        .split('\n', 1)[0]!
        .slice(0, 200);
      console.warn('client disconnected mid-push', request.method, new URL(request.url).pathname.slice(0, 200), why);
      return fail('badRequest', DISCONNECTED);
    }
  };
  return {
    read,
    async drain() {
      for (;;) {
        const chunk = await read();
        if (chunk === null || isFailure(chunk)) return;
      }
    },
  };
}

/**
 * Reads the rest of the part only to count it, so the message can say how large the package is.
 * The platform's own body limit (docs/platform.md §1) bounds how long this can go on.
 */
export async function tooLarge(
  reader: BodyReader,
  parser: FirstPartParser,
  counted: number,
  maxBytes: number,
): Promise<Failure> {
  let size = counted;
  while (!parser.done) {
    const chunk = await reader.read();
    if (chunk === null || isFailure(chunk)) break;
    const content = parser.push(chunk);
    if (isFailure(content)) break;
    size += content.length;
  }
  return fail('tooLarge', `The package is ${size} bytes; this feed accepts at most ${maxBytes}.`);
}
