/** GET the catalog's index, pages and leaves (protocol §7). */
import type { IRequest } from 'itty-router';
import type { Env } from '../env';
import { feedLinks, originOf } from '../links';
import * as catalog from '../nuget/catalog';
import { fail, failureResponse } from '../problems';
import { jsonResponse } from '../respond';
import { catalogPageItems, catalogPageSummaries, findCatalogItem } from '../store/catalog';

/** Page numbers and seqs as the feed writes them: decimal, no leading zeros, so each has one URL. */
function counter(text: string | undefined): number | null {
  if (text === undefined || !/^(0|[1-9][0-9]{0,14})$/.test(text)) return null;
  return Number(text);
}

export async function catalogIndex(request: IRequest, env: Env): Promise<Response> {
  return jsonResponse(catalog.catalogIndex(feedLinks(originOf(request)), await catalogPageSummaries(env.DB)));
}

export async function catalogPage(request: IRequest, env: Env): Promise<Response> {
  const page = counter(request.params.page);
  const items = page === null ? [] : await catalogPageItems(env.DB, page);
  if (page === null || items.length === 0) {
    return failureResponse(fail('notFound', `The catalog has no page ${request.params.page}.`));
  }
  return jsonResponse(catalog.catalogPage(feedLinks(originOf(request)), page, items));
}

export async function catalogLeaf(request: IRequest, env: Env): Promise<Response> {
  const seq = counter(request.params.seq);
  const item = seq === null ? null : await findCatalogItem(env.DB, seq);
  // The file name repeats the item's id and version: a URL naming another package is not its leaf.
  if (item === null || request.params.file !== `${item.lowerId}.${item.lowerVersion}.json`) {
    return failureResponse(fail('notFound', `The catalog has no leaf ${request.params.seq}/${request.params.file}.`));
  }
  return jsonResponse(catalog.catalogLeaf(feedLinks(originOf(request)), item));
}
