/** Symbol packages for worker tests: a .snupkg as `dotnet pack` writes one, and its push (§2.6). */
import { exports } from 'cloudflare:workers';
import { strToU8, zipSync } from 'fflate';
import { FEED, multipartBody, TEST_API_KEY } from './nupkg';
import { portablePdb } from './portablePdb';

export const PORTABLE_PDB = portablePdb('0123456789abcdef0123456789abcdef').bytes;

/** A .snupkg the way `dotnet pack` writes one (§2.6): a SymbolsPackage nuspec without authors, and PDBs. */
export function buildSnupkg(
  id: string,
  version: string,
  options: { files?: Record<string, Uint8Array>; packageType?: string } = {},
) {
  const nuspec = `<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
  <metadata>
    <id>${id}</id>
    <version>${version}</version>
    <description>Symbols.</description>
    <packageTypes><packageType name="${options.packageType ?? 'SymbolsPackage'}" /></packageTypes>
  </metadata>
</package>`;
  return zipSync({
    [`${id}.nuspec`]: strToU8(nuspec),
    '[Content_Types].xml': strToU8('<?xml version="1.0" encoding="utf-8"?><Types />'),
    '_rels/.rels': strToU8('<Relationships />'),
    ...(options.files ?? { [`lib/netstandard2.0/${id}.pdb`]: PORTABLE_PDB }),
  });
}

export function symbolsPush(
  bytes: Uint8Array,
  apiKey: string | null = TEST_API_KEY,
  path = '/api/v2/symbolpackage/',
): Promise<Response> {
  const { body, contentType } = multipartBody(bytes);
  const headers: Record<string, string> = { 'Content-Type': contentType };
  if (apiKey !== null) headers['X-NuGet-ApiKey'] = apiKey;
  return exports.default.fetch(new Request(`${FEED}${path}`, { method: 'PUT', headers, body }));
}
