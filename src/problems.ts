/**
 * Expected failures are values. Each kind maps to one HTTP status here and nowhere else.
 * The NuGet client prints only the reason phrase and X-NuGet-Warning headers of a failed
 * response, never the body (protocol §2.3, §11.6), so the message goes in all three.
 */
export type FailureKind =
  | 'badRequest'
  | 'unauthorized'
  | 'forbidden'
  | 'notFound'
  | 'methodNotAllowed'
  | 'conflict'
  | 'tooLarge'
  | 'unsupportedMediaType'
  /** The upstream feed failed or is configured wrongly (README "Using an upstream feed"). */
  | 'misconfigured'
  | 'badGateway'
  | 'gatewayTimeout';

export interface Failure {
  readonly failure: FailureKind;
  readonly message: string;
}

const statusOf: Record<FailureKind, number> = {
  badRequest: 400,
  unauthorized: 401,
  forbidden: 403,
  notFound: 404,
  methodNotAllowed: 405,
  conflict: 409,
  tooLarge: 413,
  unsupportedMediaType: 415,
  misconfigured: 500,
  badGateway: 502,
  gatewayTimeout: 504,
};

export function fail(failure: FailureKind, message: string): Failure {
  return { failure, message };
}

/** The status of a failure, for routes that answer it in another format (the HTML web pages). */
export function failureStatus(f: Failure): number {
  return statusOf[f.failure];
}

export function isFailure(value: unknown): value is Failure {
  return typeof value === 'object' && value !== null && 'failure' in value && 'message' in value;
}

/** Header values must be single-line Latin-1; the reason phrase is capped like nuget.org's (512). */
function headerSafe(message: string): string {
  return message
    .replace(/[\r\n]+/g, ' ')
    .replace(/[^\x20-\x7e]/g, '?')
    .slice(0, 512);
}

/**
 * The client prints X-NuGet-Warning from every response as a warning (protocol §11.6). A 404 is
 * an ordinary answer on reads ("not on this source", §3.2) and a 401 is the first half of every
 * authenticated exchange (§11.8): warning on those would flood restores (and fail them under
 * -warnaserror, docs/interop.md). The reason phrase still carries the message.
 */
const warns: Record<FailureKind, boolean> = {
  badRequest: true,
  unauthorized: false,
  forbidden: true,
  notFound: false,
  methodNotAllowed: true,
  conflict: true,
  tooLarge: true,
  unsupportedMediaType: true,
  misconfigured: true,
  badGateway: true,
  gatewayTimeout: true,
};

export function failureResponse(f: Failure): Response {
  const message = headerSafe(f.message);
  const headers = new Headers({ 'Content-Type': 'application/json; charset=utf-8' });
  if (warns[f.failure]) headers.set('X-NuGet-Warning', message);
  return new Response(JSON.stringify({ error: f.message }), {
    status: statusOf[f.failure],
    statusText: message,
    headers,
  });
}
