/**
 * Fault injection for the push-integrity tests: an Env whose R2, D1 or KV binding fails (or
 * waits) on a chosen call, and the Worker's own default export driven through it, so a request
 * meets the fault exactly where production would.
 */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import type { Env } from '../../src/env';
import worker from '../../src/index';

export type Binding = 'PACKAGES' | 'DB' | 'PAGES';

/**
 * throw: the call fails and does nothing. lost: the call takes effect, then its answer is lost
 * (a timeout after the write landed). wait: the call is held until the promise `wait()` returns
 * settles (a slow binding), then runs normally.
 */
export type Effect = 'throw' | 'lost' | { wait: () => Promise<unknown> };

export interface Fault {
  binding: Binding;
  /** Method name; for R2 multipart uploads also `uploadPart`, `complete`, `abort`. */
  method: string;
  /** Only matching calls count (default: every call of the method). */
  match?: (args: unknown[]) => boolean;
  /** Which matching call is hit, from 1 (default 1); 'every' hits them all. */
  nth?: number | 'every';
  effect: Effect;
}

export interface FaultyEnv {
  env: Env;
  /** How many calls each fault has hit so far, in the order given. */
  hits: number[];
}

export class InjectedFault extends Error {}

export function faultyEnv(base: Env, faults: readonly Fault[]): FaultyEnv {
  const seen = faults.map(() => 0);
  const hits = faults.map(() => 0);

  async function call(
    binding: Binding,
    method: string,
    target: object,
    fn: (...args: unknown[]) => unknown,
    args: unknown[],
  ) {
    let effect: Effect | null = null;
    faults.forEach((fault, i) => {
      if (fault.binding !== binding || fault.method !== method || !(fault.match?.(args) ?? true)) return;
      seen[i]!++;
      if (effect === null && (fault.nth === 'every' || seen[i] === (fault.nth ?? 1))) {
        hits[i]!++;
        effect = fault.effect;
      }
    });
    const fail = () => new InjectedFault(`injected fault: ${binding}.${method}`);
    if (effect === 'throw') throw fail();
    if (effect !== null && effect !== 'lost') await (effect as { wait: () => Promise<unknown> }).wait();
    const result = await Reflect.apply(fn, target, args);
    if (effect === 'lost') throw fail();
    // Parts and completion of a multipart upload go through the object it returns.
    if (method === 'createMultipartUpload') return wrap(binding, result as object);
    return result;
  }

  // Only methods a fault names are intercepted (they all return promises); the rest, such as
  // D1's synchronous prepare(), are the binding's own.
  function wrap<T extends object>(binding: Binding, target: T): T {
    const methods = new Set(faults.filter((f) => f.binding === binding).map((f) => f.method));
    if (binding === 'PACKAGES') methods.add('createMultipartUpload');
    return new Proxy(target, {
      get(object, property) {
        const value: unknown = Reflect.get(object, property, object);
        if (typeof value !== 'function') return value;
        if (typeof property !== 'string' || !methods.has(property)) return value.bind(object);
        return (...args: unknown[]) => call(binding, property, object, value as (...a: unknown[]) => unknown, args);
      },
    });
  }

  const env: Env = {
    ...base,
    PACKAGES: wrap('PACKAGES', base.PACKAGES),
    DB: wrap('DB', base.DB),
    PAGES: wrap('PAGES', base.PAGES),
  };
  return { env, hits };
}

/** Matches calls whose first argument (the R2 or KV key) satisfies `test`. */
export function keyMatching(test: (key: string) => boolean): (args: unknown[]) => boolean {
  return (args) => typeof args[0] === 'string' && test(args[0]);
}

/** A promise and the function that resolves it. */
export function gate(): { until: Promise<void>; open: () => void } {
  let open = () => {};
  const until = new Promise<void>((resolve) => (open = resolve));
  return { until, open };
}

/** One request through the Worker with `env`, waiting for whatever it left in waitUntil. */
export async function fetchWith(env: Env, request: Request): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await worker.fetch(request, env, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}
