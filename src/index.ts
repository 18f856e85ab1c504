/**
 * EdgeGet: the one Worker. Routes every V3 resource to its route file, by the URL shapes of
 * src/links.ts; catches unexpected errors once, here, logs them and answers 500.
 */
import { Router, type IRequest } from 'itty-router';
import type { Env } from './env';
import { HIVES, routes } from './links';
import { failureResponse, fail } from './problems';
import { withoutBody } from './respond';
import { serviceIndex } from './routes/serviceIndex';
import { pushPackage, relistPackage, unlistPackage } from './routes/publish';
import { pushSymbolPackage } from './routes/symbols';
import { symbolFile, symbolFileHead } from './routes/symbolFiles';
import { packageFile, packageFileHead, versionsIndex } from './routes/flatContainer';
import { registrationIndex, registrationLeaf, registrationPage } from './routes/registration';
import { search } from './routes/search';
import { autocomplete } from './routes/autocomplete';
import { catalogIndex, catalogLeaf, catalogPage } from './routes/catalog';
import { vulnerabilityIndex, vulnerabilityPage } from './routes/vulnerabilities';
import { packageDetailsPage, packageLatestPage, reportAbusePage } from './routes/packageDetails';
import { homePage } from './routes/home';
import { packageSearchPage } from './routes/packageSearchPage';
import { defaultIcon, favicon, galleryScript, galleryStyles, robots } from './routes/galleryAssets';
import { rebuildPagesAction } from './routes/admin';
import { createKey, listKeys, revokeKey } from './routes/keys';
import { deprecateVersions, undeprecateVersions } from './routes/deprecations';
import { deleteAdvisory, importAdvisoryDocuments, listAdvisories, putAdvisory } from './routes/advisories';
import { deletePackage } from './routes/deletions';
import { auditLog } from './routes/auditLog';
import { createToken } from './routes/token';
import { addTrustPolicy, listTrustPolicies, removeTrustPolicy } from './routes/trust';
import { deleteRetention, listRetentionRules, putRetention, runRetentionRules } from './routes/retention';
import { forgetUpstreamPackage, upstreamStatus } from './routes/upstream';
import { guardRead, keepPrivate } from './auth/privateFeed';
import { repairFeed } from './documents/repair';
import { odataRoutes } from './odataLinks';
import { v2Resource, v2Service } from './routes/odata';
import { publishLocation, v2Download, v2DownloadHead } from './routes/odataDownload';

// Durable Object classes are exported from the main module (wrangler.toml [[durable_objects.bindings]]).
export { DownloadCounter } from './downloadCounter';
export { UpstreamCache } from './upstreamCache';

/** Every handler gets the bindings, the context and the Cache API (`caches.default`), passed in explicitly. */
type Args = [Env, ExecutionContext, Cache];

const router = Router<IRequest, Args>();

router
  .get(routes.root, homePage)
  .get(routes.serviceIndex, serviceIndex)
  .put(routes.packagePublish, pushPackage)
  .delete(routes.packageListing, unlistPackage)
  .post(routes.packageListing, relistPackage)
  .put(routes.symbolPackagePublish, pushSymbolPackage)
  .get(routes.symbolFile, symbolFile)
  .head(routes.symbolFile, symbolFileHead)
  .get(routes.versionsIndex, versionsIndex)
  .get(routes.packageFile, packageFile)
  .head(routes.packageFile, packageFileHead)
  .get(routes.search, search)
  .get(routes.autocomplete, autocomplete)
  .get(routes.catalogIndex, catalogIndex)
  .get(routes.catalogPage, catalogPage)
  .get(routes.catalogLeaf, catalogLeaf)
  .get(routes.vulnerabilityIndex, vulnerabilityIndex)
  .get(routes.vulnerabilityPage, vulnerabilityPage)
  .get(routes.packageDetails, packageDetailsPage)
  .get(routes.reportAbuse, reportAbusePage)
  .get(routes.packageSearchPage, packageSearchPage)
  .get(routes.packagePage, packageLatestPage)
  .get(routes.galleryStyles, galleryStyles)
  .get(routes.galleryScript, galleryScript)
  .get(routes.favicon, favicon)
  .get(routes.defaultIcon, defaultIcon)
  .get(routes.robots, robots)
  .post(routes.rebuildDocuments, rebuildPagesAction)
  .post(routes.keys, createKey)
  .get(routes.keys, listKeys)
  .delete(routes.key, revokeKey)
  .post(routes.deprecations, deprecateVersions)
  .delete(routes.deprecations, undeprecateVersions)
  .get(routes.advisories, listAdvisories)
  .put(routes.advisories, putAdvisory)
  .delete(routes.advisories, deleteAdvisory)
  .post(routes.advisoryImport, importAdvisoryDocuments)
  .delete(routes.adminPackage, deletePackage)
  .delete(routes.adminPackageVersion, deletePackage)
  .get(routes.auditLog, auditLog)
  .post(routes.tokenExchange, createToken)
  .put(routes.trustPolicies, addTrustPolicy)
  .get(routes.trustPolicies, listTrustPolicies)
  .delete(routes.trustPolicy, removeTrustPolicy)
  .put(routes.retention, putRetention)
  .get(routes.retention, listRetentionRules)
  .delete(routes.retention, deleteRetention)
  .post(routes.retentionRun, runRetentionRules)
  .get(routes.upstream, upstreamStatus)
  .delete(routes.upstreamPackage, forgetUpstreamPackage)
  // The V2 (OData) feed: its catch-all comes after every other route under /api/v2.
  .get(routes.packagePublish, publishLocation)
  .get(odataRoutes.packageDownload, v2Download)
  .head(odataRoutes.packageDownload, v2DownloadHead)
  .get(odataRoutes.serviceDocument, v2Service)
  .get(odataRoutes.resources, v2Resource);

// The index route comes before the leaf route, whose pattern `{version}.json` also matches `index.json`.
for (const hive of HIVES) {
  const shapes = routes.registration[hive];
  router
    .get(shapes.index, registrationIndex(hive))
    .get(shapes.page, registrationPage(hive))
    .get(shapes.leaf, registrationLeaf(hive));
}

/**
 * HEAD (protocol §12) is answered by a HEAD route where one is cheaper than the GET (package
 * files: R2 head() reads no body), else by the GET route with its body dropped.
 */
async function route(request: Request, ...args: Args): Promise<Response> {
  const response: Response | undefined = await router.fetch(request, ...args);
  if (response) return response;
  if (request.method === 'HEAD') return withoutBody(await route(new Request(request, { method: 'GET' }), ...args));
  return failureResponse(fail('notFound', `Nothing is served at ${new URL(request.url).pathname}.`));
}

/** Log lines stay short whatever the request: the path, cut (a URL may be kilobytes), without the query. */
const LOGGED_PATH_LENGTH = 200;
function loggedPath(request: Request): string {
  const { pathname } = new URL(request.url);
  return pathname.length > LOGGED_PATH_LENGTH ? `${pathname.slice(0, LOGGED_PATH_LENGTH)}…` : pathname;
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    try {
      // Private feeds: reads without valid Basic credentials stop here, before any routing (src/auth/privateFeed.ts).
      const challenged = await guardRead(request, env, new Date());
      if (challenged) return challenged;
      return keepPrivate(await route(request, env, ctx, caches.default), env);
    } catch (error) {
      console.error('unhandled error', request.method, loggedPath(request), error);
      return new Response(JSON.stringify({ error: 'Internal server error.' }), {
        status: 500,
        headers: { 'Content-Type': 'application/json; charset=utf-8' },
      });
    }
  },

  async scheduled(_controller: ScheduledController, env: Env, ctx: ExecutionContext): Promise<void> {
    ctx.waitUntil(repairFeed(env, new Date()));
  },
} satisfies ExportedHandler<Env>;
