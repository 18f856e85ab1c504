/**
 * A request's JSON body, read no further than a fixed cap, declared (Content-Length) or actual:
 * the work an anonymous token exchange or an admin import causes is bounded whoever sends it.
 */
import { fail, type Failure } from './problems';

/** `parsed: false`: the body was not JSON, which each caller answers in its own words. */
export async function boundedJson(
  request: Request,
  maxBytes: number,
  tooLarge: string,
): Promise<{ parsed: true; json: unknown } | { parsed: false } | Failure> {
  if (Number(request.headers.get('Content-Length') ?? 0) > maxBytes) return fail('tooLarge', tooLarge);
  const text = await request.text();
  if (text.length > maxBytes) return fail('tooLarge', tooLarge);
  try {
    return { parsed: true, json: JSON.parse(text) as unknown };
  } catch {
    return { parsed: false };
  }
}
