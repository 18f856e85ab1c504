/** GET the catalog's index, pages and leaves (protocol §7). */
import type { IRequest } from 'itty-router';
import type { Env } from '../env';
import { parseCatalogLeaf, parseCatalogPage } from '../linkParams';
import { catalogLeafFile, feedLinks, originOf } from '../links';
import * as catalog from '../nuget/catalog';
import { fail, failureResponse } from '../problems';
import { jsonResponse } from '../respond';
import { catalogPageItems, catalogPageSummaries, findCatalogItem } from '../store/catalog';
import { nupkgEntries } from '../store/packageArchive';

export async function catalogIndex(request: IRequest, env: Env): Promise<Response> {
  return jsonResponse(catalog.catalogIndex(feedLinks(originOf(request)), await catalogPageSummaries(env.DB)));
}

export async function catalogPage(request: IRequest, env: Env): Promise<Response> {
  const page = parseCatalogPage(request.params);
  const items = page === null ? [] : await catalogPageItems(env.DB, page);
  if (page === null || items.length === 0) {
    return failureResponse(fail('notFound', `The catalog has no page ${request.params.page}.`));
  }
  return jsonResponse(catalog.catalogPage(feedLinks(originOf(request)), page, items));
}

export async function catalogLeaf(request: IRequest, env: Env): Promise<Response> {
  const leaf = parseCatalogLeaf(request.params);
  const item = leaf === null ? null : await findCatalogItem(env.DB, leaf.seq);
  // The file name repeats the item's id and version: a URL naming another package is not its leaf.
  if (leaf === null || item === null || leaf.file !== catalogLeafFile(item.lowerId, item.lowerVersion)) {
    return failureResponse(fail('notFound', `The catalog has no leaf ${request.params.seq}/${request.params.file}.`));
  }
  // A PackageDetails leaf lists the .nupkg's entries (§7.3), read from its central directory.
  const entries = item.itemType === 'PackageDetails' ? await nupkgEntries(env.PACKAGES, item.details) : null;
  return jsonResponse(catalog.catalogLeaf(feedLinks(originOf(request)), item, entries));
}
