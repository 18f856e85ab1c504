/** The gallery's styles, script, images and robots.txt: constants of src/gallery, with validators. */
import type { IRequest } from 'itty-router';
import type { Env } from '../env';
import { DEFAULT_ICON_SVG, FAVICON_SVG, robotsTxt } from '../gallery/images';
import { GALLERY_JS } from '../gallery/script';
import { GALLERY_CSS } from '../gallery/styles';
import { API_PATH_PREFIXES } from '../links';
import { isPrivateFeed } from '../auth/privateFeed';
import { cachedText } from './pageResponse';

/** A deploy may change them; an hour bounds how long a browser keeps an old copy. */
const ASSET_CACHE = 'public, max-age=3600';
const SVG = 'image/svg+xml';

export const galleryStyles = (request: IRequest) =>
  cachedText(request, GALLERY_CSS, 'text/css; charset=utf-8', ASSET_CACHE);
export const galleryScript = (request: IRequest) =>
  cachedText(request, GALLERY_JS, 'text/javascript; charset=utf-8', ASSET_CACHE);
export const favicon = (request: IRequest) => cachedText(request, FAVICON_SVG, SVG, ASSET_CACHE);
export const defaultIcon = (request: IRequest) => cachedText(request, DEFAULT_ICON_SVG, SVG, ASSET_CACHE);

export function robots(request: IRequest, env: Env): Promise<Response> {
  return cachedText(
    request,
    robotsTxt(isPrivateFeed(env), API_PATH_PREFIXES),
    'text/plain; charset=utf-8',
    ASSET_CACHE,
  );
}
