/**
 * The push credential: one shared API key in `X-NuGet-ApiKey` (protocol §2.2). Checked before
 * the body is read (§2.4 step 1), so a refused push costs no upload.
 *
 * Always 401, never 403: the client answers a 401 by looking for configured credentials, and a
 * 403 sent to a request without a key would start credential prompting instead (§2.2, pitfall 11).
 */
import type { Env } from './env';
import { fail, type Failure } from './problems';

const API_KEY_HEADER = 'X-NuGet-ApiKey';

/** Null when the request carries the feed's API key; otherwise the 401 to answer. */
export async function authenticate(request: Request, env: Pick<Env, 'NUGET_API_KEY'>): Promise<Failure | null> {
  const expected = env.NUGET_API_KEY;
  if (!expected) {
    return fail('unauthorized', 'This feed has no API key configured (NUGET_API_KEY), so it accepts no pushes.');
  }
  const given = request.headers.get(API_KEY_HEADER);
  if (given === null || !(await sameSecret(given, expected))) {
    return fail('unauthorized', 'A valid API key is required: pass it with -k / X-NuGet-ApiKey.');
  }
  return null;
}

/**
 * Hashing first gives both sides the same length, so timingSafeEqual neither throws nor leaks
 * the key's length through an early return.
 */
async function sameSecret(given: string, expected: string): Promise<boolean> {
  const encoder = new TextEncoder();
  const [a, b] = await Promise.all([
    crypto.subtle.digest('SHA-256', encoder.encode(given)),
    crypto.subtle.digest('SHA-256', encoder.encode(expected)),
  ]);
  return crypto.subtle.timingSafeEqual(a, b);
}
