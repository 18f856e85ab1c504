/**
 * .nupkg files built in code (fflate), shaped like what `dotnet pack` writes, and push bodies shaped
 * like what `dotnet nuget push` sends. Runs in Node and in workerd alike.
 */
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';

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

/**
 * @typedef {object} VariantSpec
 * @property {string} id
 * @property {string} version
 * @property {string} [description]
 * @property {readonly string[]} [tags]
 */

/** @param {string} text */
const xmlEscaped = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The element's text replaced, or the element added before `</metadata>` when the nuspec has none.
 * @param {string} nuspec @param {string} name @param {string} text
 */
function withElement(nuspec, name, text) {
  const element = new RegExp(`<${name}>[^<]*</${name}>`);
  const written = `<${name}>${xmlEscaped(text)}</${name}>`;
  return element.test(nuspec)
    ? nuspec.replace(element, written)
    : nuspec.replace('</metadata>', `${written}</metadata>`);
}

/**
 * The file name `dotnet pack` gives a version: no build metadata, and a fourth part of 0 dropped.
 * @param {string} version
 */
export function packedVersion(version) {
  const plain = version.split('+')[0] ?? version;
  const [release = '', ...labels] = plain.split('-');
  const parts = release.split('.');
  const core = parts.length === 4 && parts[3] === '0' ? parts.slice(0, 3).join('.') : release;
  return [core, ...labels].join('-');
}

/**
 * Another package from one `dotnet pack` wrote: the same assemblies and layout, the nuspec (and the
 * package's core properties and relationships, which name it) rewritten to a new id, version,
 * description or tags. What `dotnet pack --no-build -p:PackageId=… -p:PackageVersion=…` of the same
 * build writes, without starting MSBuild for each.
 * @param {Uint8Array} packed
 * @param {VariantSpec} spec
 * @returns {{ fileName: string, bytes: Uint8Array }}
 */
export function nupkgVariant(packed, spec) {
  const entries = unzipSync(packed);
  const nuspecName = Object.keys(entries).find((name) => !name.includes('/') && name.endsWith('.nuspec'));
  if (!nuspecName) throw new Error('the package has no nuspec at its root');
  let nuspec = strFromU8(entries[nuspecName] ?? new Uint8Array());
  const oldId = /<id>([^<]*)<\/id>/.exec(nuspec)?.[1] ?? '';
  nuspec = withElement(withElement(nuspec, 'id', spec.id), 'version', spec.version);
  if (spec.description !== undefined) nuspec = withElement(nuspec, 'description', spec.description);
  if (spec.tags !== undefined) nuspec = withElement(nuspec, 'tags', spec.tags.join(' '));
  delete entries[nuspecName];
  /** @type {import('fflate').Zippable} */
  const rewritten = { [`${spec.id}.nuspec`]: strToU8(nuspec) };
  for (const [name, content] of Object.entries(entries)) {
    if (name === '_rels/.rels') {
      rewritten[name] = strToU8(strFromU8(content).replace(`/${oldId}.nuspec`, `/${spec.id}.nuspec`));
    } else if (name.endsWith('.psmdcp')) {
      const properties = strFromU8(content)
        .replace(/<dc:identifier>[^<]*<\/dc:identifier>/, `<dc:identifier>${xmlEscaped(spec.id)}</dc:identifier>`)
        .replace(/<version>[^<]*<\/version>/, `<version>${xmlEscaped(spec.version)}</version>`);
      rewritten[name] = strToU8(properties);
    } else {
      rewritten[name] = content;
    }
  }
  return { fileName: `${spec.id}.${packedVersion(spec.version)}.nupkg`, bytes: zipSync(rewritten, { level: 6 }) };
}
