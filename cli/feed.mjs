/**
 * Which feed an operator command talks to, and the admin HTTP call every such command makes.
 * The feed is --url, else EDGEGET_URL, else the local dev server (`npx edgeget dev`, port PORT or
 * 8787). The admin key is --admin-key, else NUGET_API_KEY, else, for a feed on this machine only,
 * the dev server's default key.
 */
export const DEV_API_KEY = 'local-dev-key';
export const devPort = () => process.env.PORT || '8787';
export const devUrl = () => `http://127.0.0.1:${devPort()}`;

/** Thrown for failures the operator can act on; the CLI prints the message alone and exits 1. */
export class CliError extends Error {}

const isLoopback = (url) => ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);

/** `{ origin, adminKey }` from the command's (global) options. */
export function feedOf(options) {
  const given = options.url ?? devUrl();
  let url;
  try {
    url = new URL(given);
  } catch {
    throw new CliError(`--url ${given} is not a URL: give the feed's origin, e.g. https://nuget.example.com`);
  }
  const adminKey = options.adminKey ?? (isLoopback(url) ? DEV_API_KEY : undefined);
  return { origin: url.origin, adminKey };
}

/** An admin request to the feed; resolves with the parsed JSON answer, or throws a CliError saying what to do. */
export async function adminCall(feed, method, path, body) {
  if (!feed.adminKey) {
    throw new CliError(`${feed.origin} needs the admin key: pass --admin-key KEY or set NUGET_API_KEY.`);
  }
  const url = `${feed.origin}${path}`;
  let response;
  try {
    response = await fetch(url, {
      method,
      headers: { 'X-NuGet-ApiKey': feed.adminKey, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    const reason = error?.cause?.code ?? error?.cause?.message ?? error?.message;
    const hint =
      feed.origin === devUrl()
        ? 'Is the dev server running (`npm run dev`)? For another feed pass --url or set EDGEGET_URL.'
        : 'Check --url / EDGEGET_URL and that the feed is up.';
    throw new CliError(`could not reach the feed at ${feed.origin} (${reason}). ${hint}`);
  }
  if (!response.ok) {
    // The feed puts its message in the reason phrase (and X-NuGet-Warning on write failures).
    const reason = response.headers.get('X-NuGet-Warning') ?? response.statusText;
    const hint = response.status === 401 || response.status === 403 ? ' Check --admin-key / NUGET_API_KEY.' : '';
    const stop = /[.!?]$/.test(reason) ? '' : '.';
    throw new CliError(`${method} ${url} answered ${response.status}: ${reason}${stop}${hint}`);
  }
  return response.json();
}

/** The feed's warnings about a change it made (documents it could not update yet, say), on stderr. */
export function printWarnings(warnings) {
  for (const warning of warnings ?? []) console.warn(`warning: ${warning}`);
}
