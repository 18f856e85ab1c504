/**
 * POST /admin/rebuild-pages[?id=X | ?after=Y&limit=N]: rewrites the KV documents from D1, for example
 * after a deploy changed their shape (`npx edgeget rebuild-pages` drives it). Guarded by the push
 * key. Without `id` it works through the ids in batches and answers the cursor to continue
 * from, so one request stays within a Worker invocation's KV and subrequest limits.
 */
import { rebuildAllDocuments, rebuildDocuments } from '../documents/rebuild';
import { parseIdValue } from '../linkParams';
import { fail, failureResponse } from '../problems';
import { jsonResponse } from '../respond';
import { adminRoute, queryValue } from './adminRequest';

const DEFAULT_BATCH = 50;
const MAX_BATCH = 200;

export const rebuildPagesAction = adminRoute(async (request, env) => {
  const id = queryValue(request, 'id');
  if (id !== undefined) {
    const lowerId = parseIdValue(id);
    if (lowerId === null) return failureResponse(fail('badRequest', 'id must be a package id of 1 to 100 characters.'));
    await rebuildDocuments(env, lowerId, { force: true });
    return jsonResponse({ checked: 1, rebuilt: 1, next: null });
  }
  const limitText = queryValue(request, 'limit');
  const limit = limitText === undefined ? DEFAULT_BATCH : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_BATCH) {
    return failureResponse(fail('badRequest', `limit must be an integer from 1 to ${MAX_BATCH}.`));
  }
  const after = queryValue(request, 'after');
  if (after !== undefined && after !== '' && parseIdValue(after) === null) {
    return failureResponse(fail('badRequest', 'after must be a package id of at most 100 characters.'));
  }
  const result = await rebuildAllDocuments(env, { after, limit, force: true });
  return jsonResponse(result);
});
