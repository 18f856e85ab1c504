/** GET /: the gallery's home page (src/gallery/homePage.ts), from D1 alone. */
import type { IRequest } from 'itty-router';
import type { Env } from '../env';
import { homeHtml } from '../gallery/homePage';
import { parseSearchQuery } from '../nuget/searchQuery';
import { searchPackages } from '../store/search';
import { feedTotals, recentlyPublished } from '../store/searchGallery';
import { galleryContext, htmlPage } from './pageResponse';

const LISTED = 6;

export async function homePage(request: IRequest, env: Env): Promise<Response> {
  const [totals, recent, popular] = await Promise.all([
    feedTotals(env.DB),
    recentlyPublished(env.DB, LISTED),
    // Browse order of the API's search (no terms): most downloaded first.
    searchPackages(
      env.DB,
      parseSearchQuery(''),
      { prerelease: true, semVer2: true },
      { skip: 0, take: LISTED, packageType: null },
    ),
  ]);
  return htmlPage(request, homeHtml(galleryContext(request, env), { totals, recent, popular: popular.packages }));
}
