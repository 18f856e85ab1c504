/**
 * .nupkg files built in code (fflate), shaped like what `dotnet pack` writes, and push bodies shaped
 * like what `dotnet nuget push` sends. Runs in Node and in workerd alike.
 */
import { strToU8, zipSync } from 'fflate';

/**
 * @typedef {object} NupkgSpec
 * @property {string} id
 * @property {string} version
 * @property {string} [authors]
 * @property {string} [description]
 * @property {string} [metadata] Extra XML inside <metadata> (tags, dependencies, readme, icon, license...), as given.
 * @property {Record<string, string | Uint8Array>} [files] Extra files: path inside the package → content.
 * @property {string} [nuspec] Replaces the whole nuspec text.
 * @property {string} [nuspecName] Name of the nuspec entry (default `{id}.nuspec` at the root).
 * @property {number} [payloadBytes] Adds that many random (incompressible) bytes, stored, so the package is about that large.
 */

/** @param {NupkgSpec} spec */
export function nuspecXml(spec) {
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

/** @param {number} size */
function randomPayload(size) {
  const bytes = new Uint8Array(size);
  // getRandomValues fills at most 64 KiB per call.
  for (let at = 0; at < size; at += 65536) crypto.getRandomValues(bytes.subarray(at, at + 65536));
  return bytes;
}

/**
 * @param {NupkgSpec} spec
 * @returns {Uint8Array}
 */
export function buildNupkg(spec) {
  /** @type {import('fflate').Zippable} */
  const entries = {
    [spec.nuspecName ?? `${spec.id}.nuspec`]: strToU8(spec.nuspec ?? nuspecXml(spec)),
    '[Content_Types].xml': strToU8(
      '<?xml version="1.0" encoding="utf-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="nuspec" ContentType="application/octet" /></Types>',
    ),
    'lib/netstandard2.0/_._': new Uint8Array(0),
  };
  for (const [path, content] of Object.entries(spec.files ?? {})) {
    entries[path] = typeof content === 'string' ? strToU8(content) : content;
  }
  if (spec.payloadBytes) entries['content/payload.bin'] = [randomPayload(spec.payloadBytes), { level: 0 }];
  return zipSync(entries, { level: 6 });
}

/**
 * The multipart body the .NET client sends (quoted boundary, unquoted params, §2.2).
 * @param {Uint8Array} bytes
 * @returns {{ body: Uint8Array, contentType: string }}
 */
export function multipartBody(bytes, boundary = '7d3c1e5a-2b4f-4d8e-9a61-0c5b2f3e8d17') {
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
