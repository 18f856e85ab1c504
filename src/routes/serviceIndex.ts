import type { IRequest } from 'itty-router';
import { feedLinks, originOf } from '../links';
import { serviceIndexDocument } from '../nuget/serviceIndex';
import { jsonResponse } from '../respond';

/** GET /v3/index.json (protocol §1). Built from the request origin alone: no storage read. */
export function serviceIndex(request: IRequest): Response {
  return jsonResponse(serviceIndexDocument(feedLinks(originOf(request))));
}
