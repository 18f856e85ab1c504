/** GET /admin/log[?id=X&limit=N]: who changed what and when, newest first (`npx edgeget log`). Admin key only. */
import { isValidPackageId, lowerId } from '../nuget/packageId';
import { fail, failureResponse } from '../problems';
import { jsonResponse } from '../respond';
import { auditEntries } from '../store/auditLog';
import { adminRoute, queryValue } from './adminRequest';

const DEFAULT_ENTRIES = 50;
const MAX_ENTRIES = 1000;

export const auditLog = adminRoute(async (request, env) => {
  const id = queryValue(request, 'id');
  if (id !== undefined && !isValidPackageId(id))
    return failureResponse(fail('badRequest', 'id must be a valid package id.'));
  const limitText = queryValue(request, 'limit');
  const limit = limitText === undefined ? DEFAULT_ENTRIES : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_ENTRIES) {
    return failureResponse(fail('badRequest', `limit must be a whole number from 1 to ${MAX_ENTRIES}.`));
  }
  const entries = await auditEntries(env.DB, { lowerId: id === undefined ? undefined : lowerId(id), limit });
  return jsonResponse({ entries });
});
