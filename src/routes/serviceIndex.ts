import type { IRequest } from 'itty-router';
import { contentTag, entityTag, notModified, SHORT_LIVED, validatorHeaders } from '../cachePolicy';
import { feedLinks, originOf } from '../links';
import { serviceIndexDocument } from '../nuget/serviceIndex';
import { jsonTextResponse } from '../respond';

/** GET /v3/index.json (protocol §1). Built from the request origin alone: no storage read; the ETag hashes the text. */
export async function serviceIndex(request: IRequest): Promise<Response> {
  const text = JSON.stringify(serviceIndexDocument(feedLinks(originOf(request))));
  const validators = { etag: entityTag(await contentTag(text)), cacheControl: SHORT_LIVED };
  return notModified(request, validators) ?? jsonTextResponse(text, { headers: validatorHeaders(validators) });
}
