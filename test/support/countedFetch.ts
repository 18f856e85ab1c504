/**
 * One request through the Worker's default export with counting bindings: every call on DB,
 * PACKAGES and PAGES is recorded as `BINDING.method`, to prove the hot path's storage budget.
 * Waits for the request's waitUntil work (edge-cache puts, download counts) before returning.
 */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import worker from '../../src/index';

export const FEED = 'https://feed.test';

export interface Counted {
  response: Response;
  body: Uint8Array;
  calls: string[];
}

function counting<T extends object>(name: string, target: T, calls: string[]): T {
  return new Proxy(target, {
    get(object, property) {
      const value = Reflect.get(object, property);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.push(`${name}.${String(property)}`);
        return value.apply(object, args);
      };
    },
  });
}

/** `path` is relative to FEED unless absolute, or a whole Request. The body is kept as sent (no transparent gunzip). */
export async function fetchCounted(path: string | Request, init: RequestInit = {}): Promise<Counted> {
  const calls: string[] = [];
  const counted = {
    ...env,
    DB: counting('DB', env.DB, calls),
    PACKAGES: counting('PACKAGES', env.PACKAGES, calls),
    PAGES: counting('PAGES', env.PAGES, calls),
  };
  const ctx = createExecutionContext();
  const target = typeof path !== 'string' || path.startsWith('http') ? path : FEED + path;
  const request = new Request(target, { ...init, encodeResponseBody: 'manual' } as RequestInit);
  const response = await worker.fetch(request, counted, ctx);
  const body = new Uint8Array(await response.arrayBuffer());
  await waitOnExecutionContext(ctx);
  return { response, body, calls };
}

/** Storage reads (KV and R2 calls) and D1 calls among the recorded calls. */
export const storageCalls = (calls: string[]) => calls.filter((call) => /^(PAGES|PACKAGES)\./.test(call));
export const d1Calls = (calls: string[]) => calls.filter((call) => call.startsWith('DB.'));
