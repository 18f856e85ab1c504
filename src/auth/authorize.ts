/** Applies a key's scopes to the id it acts on, with the id's ownership read from D1. */
import { keyDecision, type KeyAction, type KeyGrant } from '../nuget/keyScopes';
import { lowerId } from '../nuget/packageId';
import type { Failure } from '../problems';
import { findOwnership } from '../store/packages';

/**
 * Null when the key may act on the id. For a push this runs after the nuspec is read (only it
 * names the id) and before the commit. Two keys creating one new id at the same moment may both
 * pass as "new id"; the commit's INSERT OR IGNORE then records whichever came first as owner.
 */
export async function authorizeId(
  db: D1Database,
  grant: KeyGrant,
  action: KeyAction,
  id: string,
): Promise<Failure | null> {
  return keyDecision(grant, action, id, await findOwnership(db, lowerId(id)));
}
