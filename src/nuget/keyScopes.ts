/**
 * What an API key may do, decided from the key and the id it acts on (protocol §2.4 step 1:
 * "API key → owner/scopes"). Modelled on nuget.org's scoped keys: a key names the operations it
 * may perform and glob patterns over package ids, and may be limited to ids it owns.
 *
 * A refusal is a 403: the key was valid (401 is for unknown, revoked and expired keys), and a 403
 * to a request that carried an API key is final for the client instead of starting credential
 * prompting (§2.2, pitfall 11). The message is the reason phrase the client prints (§2.3).
 */
import { fail, type Failure } from '../problems';
import { lowerId } from './packageId';

/**
 * `push`: create new package ids. `push-version`: push new versions of ids already on the feed.
 * `unlist`: unlist and relist (§2.5). `read`: read a private feed, the only scope of read tokens.
 */
export type Scope = 'push' | 'push-version' | 'unlist' | 'read';
export const WRITE_SCOPES: readonly Scope[] = ['push', 'push-version', 'unlist'];

/** API keys (`eg_…`) push and unlist within their scopes and read; read tokens (`egr_…`) only read. */
export type KeyKind = 'api' | 'read';

export interface KeyGrant {
  /** The key's name, recorded as the owner of ids it creates; null for the admin key (NUGET_API_KEY). */
  readonly name: string | null;
  readonly scopes: readonly Scope[];
  /** Globs over package ids: `*` matches any run of characters; case-insensitive like ids (§10.1). */
  readonly idPatterns: readonly string[];
  /** Only ids whose recorded owner is this key's name (new ids become its own). */
  readonly ownedOnly: boolean;
}

/** The bootstrap admin key: every scope, every id, and the only key that manages keys. */
export const ADMIN_GRANT: KeyGrant = {
  name: null,
  scopes: [...WRITE_SCOPES, 'read'],
  idPatterns: ['*'],
  ownedOnly: false,
};

/** An id already on the feed and the key name that first pushed it (null: the admin key did). */
export interface IdOwnership {
  readonly owner: string | null;
}

export type KeyAction = 'push' | 'push-symbols' | 'unlist';

const doing: Record<KeyAction, string> = {
  push: 'push',
  'push-symbols': 'push symbols for',
  unlist: 'unlist or relist',
};

/** An id pattern as keys and retention rules take it: package id characters (§10.1, pushed ids are ASCII) plus `*`. */
export function isIdPattern(pattern: string): boolean {
  return /^[A-Za-z0-9._*-]{1,128}$/.test(pattern);
}

export function globMatches(pattern: string, id: string): boolean {
  const p = lowerId(pattern);
  const s = lowerId(id);
  // Greedy match that backtracks to the last `*` only: linear for one star, never exponential.
  let pi = 0;
  let si = 0;
  let star = -1;
  let resume = 0;
  while (si < s.length) {
    if (p[pi] === '*') {
      star = pi++;
      resume = si;
    } else if (pi < p.length && p[pi] === s[si]) {
      pi++;
      si++;
    } else if (star >= 0) {
      pi = star + 1;
      si = ++resume;
    } else {
      return false;
    }
  }
  while (p[pi] === '*') pi++;
  return pi === p.length;
}

/** The scopes that allow `action` on an id, given whether the id is on the feed yet. */
function scopesFor(action: KeyAction, existing: IdOwnership | null): readonly Scope[] {
  if (action === 'unlist') return ['unlist'];
  // Symbols follow their package, which may have been pushed as a new id or as a new version.
  if (action === 'push-symbols') return ['push', 'push-version'];
  return existing ? ['push-version'] : ['push'];
}

/**
 * Null when the key may perform `action` on `id`. The id patterns are checked first, so a key
 * learns nothing about ids outside them (not even whether they exist).
 */
export function keyDecision(
  grant: KeyGrant,
  action: KeyAction,
  id: string,
  existing: IdOwnership | null,
): Failure | null {
  const key = grant.name === null ? 'The admin key' : `This API key ('${grant.name}')`;
  if (!grant.idPatterns.some((pattern) => globMatches(pattern, id))) {
    return fail(
      'forbidden',
      `${key} may not ${doing[action]} package '${id}': it is limited to ids matching ${grant.idPatterns.join(', ')}.`,
    );
  }
  const allowed = scopesFor(action, existing);
  if (!allowed.some((scope) => grant.scopes.includes(scope))) {
    const reason =
      action === 'push' && existing === null
        ? `may not push new package ids ('${id}' is not on this feed yet)`
        : action === 'push'
          ? `may not push new versions of existing package ids such as '${id}'`
          : `may not ${doing[action]} packages (it needs the ${allowed.join(' or ')} scope)`;
    return fail('forbidden', `${key} ${reason}.`);
  }
  if (grant.ownedOnly && existing !== null && existing.owner !== grant.name) {
    return fail('forbidden', `${key} may only ${doing[action]} package ids it owns, and it does not own '${id}'.`);
  }
  return null;
}

/** Revoked and expired keys are refused like unknown ones: 401, so the client's credential flow applies (§11.8). */
export function keyProblem(
  key: { name: string; kind: KeyKind; expiresAt: string | null; revokedAt: string | null },
  now: Date,
): Failure | null {
  const label = `The ${key.kind === 'read' ? 'read token' : 'API key'} '${key.name}'`;
  if (key.revokedAt !== null) return fail('unauthorized', `${label} has been revoked.`);
  if (key.expiresAt !== null && Date.parse(key.expiresAt) <= now.getTime()) {
    return fail('unauthorized', `${label} expired at ${key.expiresAt}.`);
  }
  return null;
}
