/**
 * The one HTTP client of the upstream feed: every request has the configured time limit
 * (UPSTREAM_TIMEOUT), carries the upstream's credentials when it has some, and comes back as a
 * value: the text or body, a 404, or a Failure naming the upstream (502, or 504 for a time-out).
 * A request to this feed makes its upstream requests one after another (src/upstreamCache.ts), so
 * none has more than one open at a time.
 */
import type { UpstreamConfig } from '../nuget/upstream';
import { fail, type Failure } from '../problems';

/**
 * Largest upstream document kept: a Durable Object's stored value may be 2 MB, and a
 * registration page of 64 to 128 leaves (nuget.org's) is a few hundred KB.
 */
export const MAX_UPSTREAM_DOCUMENT_BYTES = 2_000_000;

export type Missing = { missing: true };
export const MISSING: Missing = { missing: true };

function headers(config: UpstreamConfig, accept: string): Record<string, string> {
  return {
    Accept: accept,
    'User-Agent': 'EdgeGet (pull-through upstream)',
    ...(config.authorization ? { Authorization: config.authorization } : {}),
  };
}

/** What went wrong, in words that name the upstream. */
export function upstreamFailure(config: UpstreamConfig, url: string, error: unknown): Failure {
  const name = (error as { name?: string })?.name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return fail(
      'gatewayTimeout',
      `The upstream feed ${config.serviceIndex} did not answer within ${config.timeoutMs / 1000} s (${url}).`,
    );
  }
  const reason = error instanceof Error ? error.message : String(error);
  return fail('badGateway', `The upstream feed ${config.serviceIndex} could not be reached (${reason}).`);
}

function statusFailure(config: UpstreamConfig, url: string, response: Response): Failure {
  return fail('badGateway', `The upstream feed ${config.serviceIndex} answered ${response.status} for ${url}.`);
}

/**
 * The time limit covers a document's body too; for a package file only the wait for its headers,
 * since its body may take longer than any fixed limit to stream.
 */
async function request(config: UpstreamConfig, url: string, accept: string, whole = true): Promise<Response | Failure> {
  const controller = new AbortController();
  const timer = whole
    ? undefined
    : setTimeout(
        () => controller.abort(new DOMException('The upstream did not answer in time.', 'TimeoutError')),
        config.timeoutMs,
      );
  try {
    const signal = whole ? AbortSignal.timeout(config.timeoutMs) : controller.signal;
    return await fetch(url, { headers: headers(config, accept), signal });
  } catch (error) {
    return upstreamFailure(config, url, error);
  } finally {
    clearTimeout(timer);
  }
}

/** Reads at most MAX_UPSTREAM_DOCUMENT_BYTES of a body as text; the time limit covers the body too. */
async function boundedText(body: ReadableStream<Uint8Array>): Promise<string | null> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_UPSTREAM_DOCUMENT_BYTES) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

/** A JSON document of the upstream: its text, MISSING on 404, or a Failure. */
export async function fetchUpstreamText(config: UpstreamConfig, url: string): Promise<string | Missing | Failure> {
  const response = await request(config, url, 'application/json');
  if ('failure' in response) return response;
  if (response.status === 404) {
    await response.body?.cancel();
    return MISSING;
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    return statusFailure(config, url, response);
  }
  try {
    const text = await boundedText(response.body);
    return text ?? fail('badGateway', `The upstream feed ${config.serviceIndex} sent more than 2 MB for ${url}.`);
  } catch (error) {
    return upstreamFailure(config, url, error);
  }
}

/** A package file of the upstream, its body unread: MISSING on 404, or a Failure. */
export async function fetchUpstreamFile(config: UpstreamConfig, url: string): Promise<Response | Missing | Failure> {
  const response = await request(config, url, 'application/octet-stream', false);
  if ('failure' in response) return response;
  if (response.status === 404) {
    await response.body?.cancel();
    return MISSING;
  }
  if (response.status !== 200 || !response.body) {
    await response.body?.cancel();
    return statusFailure(config, url, response);
  }
  return response;
}
