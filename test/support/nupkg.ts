/** Push requests for the Worker tests; the packages and bodies themselves come from the dev kit. */
import { multipartBody } from '../../devkit/nupkg.mjs';

export { buildNupkg, multipartBody, type NupkgSpec, nuspecXml } from '../../devkit/nupkg.mjs';

export const TEST_API_KEY = 'test-api-key';
export const FEED = 'https://feed.test';

/** A push request as `dotnet nuget push` makes it (PUT to `{PackagePublish}/`). */
export function pushRequest(bytes: Uint8Array, options: { apiKey?: string | null; path?: string } = {}): Request {
  const { body, contentType } = multipartBody(bytes);
  const headers: Record<string, string> = { 'Content-Type': contentType };
  const apiKey = options.apiKey === undefined ? TEST_API_KEY : options.apiKey;
  if (apiKey !== null) headers['X-NuGet-ApiKey'] = apiKey;
  return new Request(`${FEED}${options.path ?? '/api/v2/package/'}`, { method: 'PUT', headers, body });
}
