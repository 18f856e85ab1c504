/**
 * EdgeGet: the one Worker. Routes every V3 resource to its route file; catches unexpected
 * errors once, here, logs them and answers 500.
 */
import { Router, type IRequest } from 'itty-router';
import type { Env } from './env';
import { HIVES, paths } from './links';
import { failureResponse, fail } from './problems';
import { withoutBody } from './respond';
import { serviceIndex } from './routes/serviceIndex';
import { pushPackage, relistPackage, unlistPackage } from './routes/publish';
import { pushSymbolPackage } from './routes/symbols';
import { packageFile, packageFileHead, versionsIndex } from './routes/flatContainer';
import { registrationDocument } from './routes/registration';
import { search } from './routes/search';
import { autocomplete } from './routes/autocomplete';
import { catalogIndex, catalogLeaf, catalogPage } from './routes/catalog';
import { vulnerabilityIndex, vulnerabilityPage } from './routes/vulnerabilities';
import { packageDetailsPage, reportAbusePage } from './routes/packageDetails';
import { rebuildPagesAction } from './routes/admin';
import { createKey, listKeys, revokeKey } from './routes/keys';
import { guardRead, keepPrivate } from './auth/privateFeed';
import { repairFeed } from './pages/repair';

// Durable Object classes are exported from the main module (wrangler.toml [[durable_objects.bindings]]).
export { DownloadCounter } from './downloadCounter';

type Args = [Env, ExecutionContext];

const router = Router<IRequest, Args>();

router
  .get('/', (request) => Response.redirect(new URL(paths.serviceIndex, request.url).toString(), 302))
  .get(paths.serviceIndex, serviceIndex)
  // The client PUTs to `{@id}/` (trailing slash) and addresses delete/relist below it (§2.1).
  .put(paths.packagePublish, pushPackage)
  .put(`${paths.packagePublish}/`, pushPackage)
  .delete(`${paths.packagePublish}/:id/:version`, unlistPackage)
  .post(`${paths.packagePublish}/:id/:version`, relistPackage)
  .put(paths.symbolPackagePublish, pushSymbolPackage)
  .put(`${paths.symbolPackagePublish}/`, pushSymbolPackage)
  .get(`${paths.flatContainer}:lowerId/index.json`, versionsIndex)
  .get(`${paths.flatContainer}:lowerId/:version/:file`, packageFile)
  .head(`${paths.flatContainer}:lowerId/:version/:file`, packageFileHead)
  .get(paths.search, search)
  .get(paths.autocomplete, autocomplete)
  .get(`${paths.catalog}index.json`, catalogIndex)
  .get(`${paths.catalog}page:page.json`, catalogPage)
  .get(`${paths.catalog}data/:seq/:file`, catalogLeaf)
  .get(`${paths.vulnerabilities}index.json`, vulnerabilityIndex)
  .get(`${paths.vulnerabilities}:name.json`, vulnerabilityPage)
  .get(`${paths.packageDetails}:id/:version`, packageDetailsPage)
  .get(`${paths.packageDetails}:id/:version/report`, reportAbusePage)
  .post('/admin/rebuild-pages', rebuildPagesAction)
  .post(paths.adminKeys, createKey)
  .get(paths.adminKeys, listKeys)
  .delete(`${paths.adminKeys}/:ref`, revokeKey);

for (const hive of HIVES) {
  router.get(`${paths.registration[hive]}:lowerId/:document+`, (request, env: Env, ctx: ExecutionContext) =>
    registrationDocument(request, env, ctx, hive),
  );
}

/**
 * HEAD (protocol §12) is answered by a HEAD route where one is cheaper than the GET (package
 * files: R2 head() reads no body), else by the GET route with its body dropped.
 */
async function route(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
  const response: Response | undefined = await router.fetch(request, env, ctx);
  if (response) return response;
  if (request.method === 'HEAD') return withoutBody(await route(new Request(request, { method: 'GET' }), env, ctx));
  return failureResponse(fail('notFound', `Nothing is served at ${new URL(request.url).pathname}.`));
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    try {
      // Private feeds: reads without valid Basic credentials stop here, before any routing (src/auth/privateFeed.ts).
      const challenged = await guardRead(request, env, new Date());
      if (challenged) return challenged;
      return keepPrivate(await route(request, env, ctx), env);
    } catch (error) {
      console.error('unhandled error', request.method, request.url, error);
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
