/** Generated .nupkg files (fflate) and pushes shaped like `dotnet nuget push` (test/support/nupkg.ts). */
import { randomBytes } from 'node:crypto';
import { strToU8, zipSync } from 'fflate';
import { API_KEY } from './worker.mjs';

const xml = (text) => String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function nuspecXml({ id, version, description, tags, authors = 'EdgeGet Bench' }) {
  return `<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
  <metadata>
    <id>${xml(id)}</id>
    <version>${xml(version)}</version>
    <authors>${xml(authors)}</authors>
    <description>${xml(description ?? `Benchmark package ${id}.`)}</description>${tags ? `\n    <tags>${xml(tags)}</tags>` : ''}
  </metadata>
</package>`;
}

/**
 * A package with a valid nuspec at the root. `payloadBytes` adds that many random (incompressible)
 * bytes, stored uncompressed, so the .nupkg is about that large.
 */
export function buildNupkg(spec) {
  const entries = {
    [`${spec.id}.nuspec`]: strToU8(nuspecXml(spec)),
    '[Content_Types].xml': strToU8(
      '<?xml version="1.0" encoding="utf-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="nuspec" ContentType="application/octet" /></Types>',
    ),
    'lib/netstandard2.0/_._': new Uint8Array(0),
  };
  if (spec.payloadBytes) entries['content/payload.bin'] = [randomBytes(spec.payloadBytes), { level: 0 }];
  return zipSync(entries, { level: 6 });
}

const BOUNDARY = '6f1c2d9e-bench-4a7b-9c3d-edgeget';

/** The multipart body the .NET client sends: quoted boundary, first part = the nupkg. */
export function multipartBody(bytes) {
  const head = Buffer.from(
    `--${BOUNDARY}\r\nContent-Type: application/octet-stream\r\n` +
      `Content-Disposition: form-data; name=package; filename=package.nupkg; filename*=utf-8''package.nupkg\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);
  return { body: Buffer.concat([head, bytes, tail]), contentType: `multipart/form-data; boundary="${BOUNDARY}"` };
}

/** PUT {origin}/api/v2/package/ → { status, ms, warning }. */
export async function push(origin, bytes, apiKey = API_KEY) {
  const { body, contentType } = multipartBody(bytes);
  const started = performance.now();
  const response = await fetch(`${origin}/api/v2/package/`, {
    method: 'PUT',
    headers: { 'Content-Type': contentType, 'X-NuGet-ApiKey': apiKey },
    body,
  });
  const text = await response.text();
  const ms = performance.now() - started;
  const warning = response.headers.get('X-NuGet-Warning') ?? (response.ok ? '' : text.slice(0, 200));
  return { status: response.status, ms, warning };
}
