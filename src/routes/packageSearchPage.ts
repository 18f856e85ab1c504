/**
 * GET /packages?q=…: the gallery's search results, through the API's own search (protocol §5,
 * src/store/search.ts) with SemVer 2 versions included, as a browser can show them all.
 */
import type { IRequest } from 'itty-router';
import type { Env } from '../env';
import { resultsHtml } from '../gallery/resultsPage';
import { parseGallerySearch } from '../linkParams';
import { parseSearchQuery } from '../nuget/searchQuery';
import { searchPackages } from '../store/search';
import { galleryContext, htmlPage } from './pageResponse';

const PAGE_SIZE = 20;

export async function packageSearchPage(request: IRequest, env: Env): Promise<Response> {
  const state = parseGallerySearch(new URL(request.url).searchParams);
  const found = await searchPackages(
    env.DB,
    parseSearchQuery(state.q),
    { prerelease: state.prerelease, semVer2: true },
    { skip: (state.page - 1) * PAGE_SIZE, take: PAGE_SIZE, packageType: state.packageType.toLowerCase() || null },
  );
  const html = resultsHtml(galleryContext(request, env), {
    state,
    totalHits: found.totalHits,
    packages: found.packages,
    pageSize: PAGE_SIZE,
  });
  return htmlPage(request, html);
}
