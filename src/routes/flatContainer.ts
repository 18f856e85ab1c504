/**
 * The flat container (protocol §3): the version list from KV, package files straight from R2.
 * Ids and versions are lowercased and normalized whatever their form (§3.1 allows the leniency);
 * every URL the feed emits is already canonical.
 */
import type { IRequest } from 'itty-router';
import type { Env } from '../env';
import { lowerVersion, parseVersion } from '../nuget/version';
import { fail, failureResponse } from '../problems';
import { jsonTextResponse } from '../respond';
import { blobKeys } from '../store/blobs';
import { pageKeys } from '../store/pages';

/**
 * GET {base}{lowerId}/index.json (§3.2): one KV read. KV may lag a push by up to 60 s at other
 * locations (cloudflare-platform.md §3); a listed version is always downloadable, because its
 * blobs were written before the row the list was built from.
 */
export async function versionsIndex(request: IRequest, env: Env): Promise<Response> {
  const lowerId = (request.params.lowerId ?? '').toLowerCase();
  const text = await env.PAGES.get(pageKeys.versionsIndex(lowerId));
  if (text === null) return failureResponse(fail('notFound', `The package '${lowerId}' has no versions here.`));
  return jsonTextResponse(text);
}

interface FileKind {
  key: string;
  contentType?: string;
}

/** Which blob a file name asks for (§3.1, §3.3); the version segment may be non-canonical. */
function fileKind(lowerId: string, segment: string, version: string, file: string): FileKind | null {
  const name = file.toLowerCase();
  if (name === `${lowerId}.${version}.nupkg` || name === `${lowerId}.${segment}.nupkg`) {
    return { key: blobKeys.nupkg(lowerId, version), contentType: 'application/octet-stream' };
  }
  if (name === `${lowerId}.nuspec`) return { key: blobKeys.nuspec(lowerId, version), contentType: 'application/xml' };
  if (name === 'readme') return { key: blobKeys.readme(lowerId, version), contentType: 'text/markdown; charset=utf-8' };
  // An icon keeps the content type the push stored with it (image/png, image/jpeg, §3.3).
  if (name === 'icon') return { key: blobKeys.icon(lowerId, version) };
  return null;
}

/** GET {base}{lowerId}/{version}/{file}: the exact stored bytes, streamed (pitfall 8). */
export async function packageFile(request: IRequest, env: Env): Promise<Response> {
  // Segments are not percent-decoded: ids and versions are ASCII letters, digits and ".-_+" (§10.1).
  const lowerId = (request.params.lowerId ?? '').toLowerCase();
  const segment = (request.params.version ?? '').toLowerCase();
  const file = request.params.file ?? '';
  const parsed = parseVersion(segment);
  const kind = parsed ? fileKind(lowerId, segment, lowerVersion(parsed), file) : null;
  const ifNoneMatch = request.headers.get('If-None-Match');
  const onlyIf = ifNoneMatch ? new Headers({ 'If-None-Match': ifNoneMatch }) : undefined;
  const object = kind ? await env.PACKAGES.get(kind.key, { onlyIf }) : null;
  if (!kind || !object) {
    return failureResponse(fail('notFound', `There is no ${file} for ${lowerId} ${segment} here.`));
  }
  const headers = new Headers({ ETag: object.httpEtag });
  headers.set('Content-Type', kind.contentType ?? object.httpMetadata?.contentType ?? 'application/octet-stream');
  // Without a body, If-None-Match matched: the client's copy is current.
  if (!('body' in object)) return new Response(null, { status: 304, headers });
  headers.set('Content-Length', String(object.size));
  return new Response(object.body, { headers });
}
