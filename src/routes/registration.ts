/**
 * GET {hive}{lowerId}/index.json, …/page/{lower}/{upper}.json and …/{lowerVersion}.json
 * (protocol §4). Index and page documents are stored in KV per hive level (src/pages/rebuild.ts)
 * and bound to this request's origin and hive; leaf documents are derived from their leaf item.
 * KV may serve a document up to 60 s old at other locations (cloudflare-platform.md §3).
 */
import type { IRequest } from 'itty-router';
import type { Env } from '../env';
import { bindStoredDocument, hiveIsGzip, hiveLevel, originOf, type Hive, type HiveLevel } from '../links';
import {
  locateLeaf,
  registrationLeaf,
  type RegistrationIndex,
  type RegistrationPage,
} from '../nuget/registration';
import { parseVersion, type NuGetVersion } from '../nuget/version';
import { fail, failureResponse } from '../problems';
import { jsonTextResponse } from '../respond';
import { pageKeys } from '../store/pages';

const PAGE = /^page\/([^/]+)\/([^/]+)\.json$/;
const LEAF = /^([^/]+)\.json$/;

/** One KV read for the index; a second only when the leaf sits behind a stub (§4.7). */
async function leafDocument(
  kv: KVNamespace,
  level: HiveLevel,
  lowerId: string,
  version: NuGetVersion,
): Promise<string | null> {
  const index = await kv.get<RegistrationIndex>(pageKeys.registrationIndex(level, lowerId), 'json');
  let found = index ? locateLeaf(index.items, version) : null;
  if (found && 'stub' in found) {
    const { lower, upper } = found.stub;
    const page = await kv.get<RegistrationPage>(pageKeys.registrationPage(level, lowerId, lower, upper), 'json');
    found = page ? locateLeaf([page], version) : null;
  }
  return found && 'item' in found ? JSON.stringify(registrationLeaf(found.item)) : null;
}

/** The stored text of a document, still bound to STORED_ORIGIN; null when there is none. */
async function storedDocument(kv: KVNamespace, level: HiveLevel, lowerId: string, document: string) {
  if (document === 'index.json') return kv.get(pageKeys.registrationIndex(level, lowerId));
  const page = PAGE.exec(document);
  if (page) return kv.get(pageKeys.registrationPage(level, lowerId, page[1] ?? '', page[2] ?? ''));
  const leaf = LEAF.exec(document);
  const version = leaf ? parseVersion(leaf[1] ?? '') : null;
  return version ? leafDocument(kv, level, lowerId, version) : null;
}

/** Whether Accept-Encoding allows gzip: named with q > 0, or else `*` with q > 0 (RFC 9110 §12.5.3). */
function acceptsGzip(header: string | null): boolean {
  const qualities = new Map<string, number>();
  for (const part of (header ?? '').split(',')) {
    const [coding = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const q = params.find((param) => param.startsWith('q='));
    qualities.set(coding, q ? Number(q.slice(2)) : 1);
  }
  const q = qualities.get('gzip') ?? qualities.get('*') ?? 0;
  return q > 0;
}

/**
 * The gzip hives are documented as gzip-encoded (§4.8): they are, when the client accepts it
 * (the official client always does). `encodeBody: 'manual'` sends the bytes as they are, so
 * Cloudflare does not compress them again. The plain hive is always identity-encoded.
 */
function documentResponse(request: Request, text: string, hive: Hive): Response {
  if (!hiveIsGzip(hive)) return jsonTextResponse(text);
  const headers = { 'Content-Type': 'application/json; charset=utf-8', Vary: 'Accept-Encoding' };
  if (!acceptsGzip(request.headers.get('Accept-Encoding'))) return jsonTextResponse(text, { headers });
  const body = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Response(body, { headers: { ...headers, 'Content-Encoding': 'gzip' }, encodeBody: 'manual' });
}

export async function registrationDocument(request: IRequest, env: Env, hive: Hive): Promise<Response> {
  // Lenient on case (§3.1); page and leaf URLs are lowercase by construction.
  const lowerId = (request.params.lowerId ?? '').toLowerCase();
  const document = (request.params.document ?? '').toLowerCase();
  const text = await storedDocument(env.PAGES, hiveLevel(hive), lowerId, document);
  if (text === null) {
    return failureResponse(fail('notFound', `The package '${lowerId}' has no ${document} in this registration hive.`));
  }
  return documentResponse(request, bindStoredDocument(text, originOf(request), hive), hive);
}
