/** Pushes shaped like `dotnet nuget push`, timed; the packages come from the dev kit (devkit/nupkg.mjs). */
import { multipartBody } from '../../devkit/nupkg.mjs';
import { API_KEY } from './worker.mjs';

export { buildNupkg, multipartBody } from '../../devkit/nupkg.mjs';

/** PUT {origin}{path} (the package, or with /api/v2/symbolpackage/ a .snupkg) → { status, ms, warning }. */
export async function push(origin, bytes, apiKey = API_KEY, path = '/api/v2/package/') {
  const { body, contentType } = multipartBody(bytes);
  const started = performance.now();
  const response = await fetch(`${origin}${path}`, {
    method: 'PUT',
    headers: { 'Content-Type': contentType, 'X-NuGet-ApiKey': apiKey },
    body,
  });
  const text = await response.text();
  const ms = performance.now() - started;
  const warning = response.headers.get('X-NuGet-Warning') ?? (response.ok ? '' : text.slice(0, 200));
  return { status: response.status, ms, warning };
}
