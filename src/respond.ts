/** Response constructors shared by the route files. */

const JSON_TYPE = 'application/json; charset=utf-8';

export function jsonResponse(body: unknown, init: ResponseInit = {}): Response {
  return jsonTextResponse(JSON.stringify(body), init);
}

export function jsonTextResponse(text: string, init: ResponseInit = {}): Response {
  const headers = new Headers(init.headers);
  if (!headers.has('Content-Type')) headers.set('Content-Type', JSON_TYPE);
  return new Response(text, { ...init, headers });
}

/** HEAD is answered by the GET route with the body dropped (protocol §12: every GET also answers HEAD). */
export function withoutBody(response: Response): Response {
  return new Response(null, { status: response.status, statusText: response.statusText, headers: response.headers });
}
