/** Builds .nupkg files in code (fflate), shaped like what `dotnet pack` writes. */
import { zipSync, strToU8, type Zippable } from 'fflate';

export interface NupkgSpec {
  id: string;
  version: string;
  authors?: string;
  description?: string;
  /** Extra XML inside <metadata> (tags, dependencies, readme, icon, license...). */
  metadata?: string;
  /** Extra files: path inside the package → content. */
  files?: Record<string, string | Uint8Array>;
  /** Replace the whole nuspec text. */
  nuspec?: string;
  /** Name of the nuspec entry (default `{id}.nuspec` at the root). */
  nuspecName?: string;
}

export function nuspecXml(spec: NupkgSpec): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
  <metadata>
    <id>${spec.id}</id>
    <version>${spec.version}</version>
    <authors>${spec.authors ?? 'EdgeGet Tests'}</authors>
    <description>${spec.description ?? `Test package ${spec.id}.`}</description>
    ${spec.metadata ?? ''}
  </metadata>
</package>`;
}

export function buildNupkg(spec: NupkgSpec): Uint8Array {
  const entries: Zippable = {
    [spec.nuspecName ?? `${spec.id}.nuspec`]: strToU8(spec.nuspec ?? nuspecXml(spec)),
    '[Content_Types].xml': strToU8(
      '<?xml version="1.0" encoding="utf-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="nuspec" ContentType="application/octet" /></Types>',
    ),
    'lib/netstandard2.0/_._': new Uint8Array(0),
  };
  for (const [path, content] of Object.entries(spec.files ?? {})) {
    entries[path] = typeof content === 'string' ? strToU8(content) : content;
  }
  return zipSync(entries, { level: 6 });
}

/** A multipart body the way the .NET client sends it (quoted boundary, unquoted params, §2.2). */
export function multipartBody(
  bytes: Uint8Array,
  boundary = '7d3c1e5a-2b4f-4d8e-9a61-0c5b2f3e8d17',
): {
  body: Uint8Array;
  contentType: string;
} {
  const head = strToU8(
    `--${boundary}\r\nContent-Type: application/octet-stream\r\n` +
      `Content-Disposition: form-data; name=package; filename=package.nupkg; filename*=utf-8''package.nupkg\r\n\r\n`,
  );
  const tail = strToU8(`\r\n--${boundary}--\r\n`);
  const body = new Uint8Array(head.length + bytes.length + tail.length);
  body.set(head, 0);
  body.set(bytes, head.length);
  body.set(tail, head.length + bytes.length);
  return { body, contentType: `multipart/form-data; boundary="${boundary}"` };
}

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
