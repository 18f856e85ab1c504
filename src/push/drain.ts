/**
 * The bytes of a push body that are read but not kept: the parts after the package, and the rest
 * of a package found too large. Both are read rather than dropped so that the client finishes
 * sending and reads an answer, not a reset connection.
 */
import { fail, isFailure, type Failure } from '../problems';
import type { FirstPartParser } from './multipart';

/** Later parts are ignored (protocol §2.2), but read, up to a bound, so the client finishes sending before it is answered. */
const MAX_IGNORED_BYTES = 1024 * 1024;

export async function skipRest(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
  for (let skipped = 0; skipped <= MAX_IGNORED_BYTES; ) {
    const { done, value } = await reader.read();
    if (done) return reader.releaseLock();
    skipped += value.length;
  }
  await reader.cancel();
}

/**
 * Reads the rest of the part only to count it, so the message can say how large the package is.
 * The platform's own body limit (docs/platform.md §1) bounds how long this can go on.
 */
export async function tooLarge(
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
