import { isFailure } from '../../src/problems';
import { FirstPartParser } from '../../src/push/multipart';

/** The first part's content from a body in these chunks, or the parser's failure message. */
export function parseWith(boundary: string, chunks: Uint8Array[]): Uint8Array | string {
  const parser = new FirstPartParser(boundary);
  const out: number[] = [];
  for (const chunk of chunks) {
    const piece = parser.push(chunk);
    if (isFailure(piece)) return piece.message;
    out.push(...piece);
  }
  const end = parser.end();
  return end ? end.message : new Uint8Array(out);
}
