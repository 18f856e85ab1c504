/**
 * The body of POST /admin/keys, checked: what a new API key or read token may do. Pure; the
 * caller passes the time so that an expiry in the past is refused.
 */
import { isIdPattern, WRITE_SCOPES, type KeyKind, type Scope } from '../nuget/keyScopes';
import { fail, type Failure } from '../problems';

export interface NewKey {
  name: string;
  kind: KeyKind;
  scopes: Scope[];
  idPatterns: string[];
  ownedOnly: boolean;
  /** ISO 8601, or null for a key that does not expire. */
  expiresAt: string | null;
}

/** Names appear in 403 reason phrases and are recorded as package owners: keep them plain. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const MAX_ID_PATTERNS = 50;
/** `--expires 2027-01-01` means the start of that day, UTC. */
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

export function parseNewKey(body: unknown, now: Date): NewKey | Failure {
  if (typeof body !== 'object' || body === null)
    return fail('badRequest', 'Expected a JSON object describing the key.');
  const { name, kind = 'api', scopes, ids, ownedOnly = false, expires } = body as Record<string, unknown>;
  if (typeof name !== 'string' || !NAME.test(name)) {
    return fail('badRequest', 'name is required: 1-64 letters, digits, dots, dashes or underscores.');
  }
  if (kind !== 'api' && kind !== 'read') return fail('badRequest', "kind must be 'api' or 'read'.");
  if (typeof ownedOnly !== 'boolean') return fail('badRequest', 'ownedOnly must be true or false.');

  const expiresAt = parseExpiry(expires, now);
  if (typeof expiresAt === 'object' && expiresAt !== null) return expiresAt;

  if (kind === 'read') {
    // Reads are feed-wide (search, catalog and version lists span every id), so patterns would promise too much.
    if (
      ids !== undefined ||
      ownedOnly ||
      (scopes !== undefined && !(isStringArray(scopes) && scopes.join() === 'read'))
    ) {
      return fail('badRequest', 'A read token reads the whole feed: it takes no scopes, ids or ownedOnly.');
    }
    return { name, kind, scopes: ['read'], idPatterns: ['*'], ownedOnly: false, expiresAt };
  }

  if (!isStringArray(scopes) || scopes.length === 0 || !scopes.every((s) => WRITE_SCOPES.includes(s as Scope))) {
    return fail('badRequest', `scopes is required: one or more of ${WRITE_SCOPES.join(', ')}.`);
  }
  const idPatterns = ids === undefined ? ['*'] : ids;
  if (!isStringArray(idPatterns) || idPatterns.length === 0 || idPatterns.length > MAX_ID_PATTERNS) {
    return fail('badRequest', `ids must be a list of 1 to ${MAX_ID_PATTERNS} package id patterns.`);
  }
  const bad = idPatterns.find((pattern) => !isIdPattern(pattern));
  if (bad !== undefined) {
    return fail('badRequest', `'${bad}' is not a package id pattern: use id characters and '*', e.g. Contoso.*`);
  }
  return { name, kind, scopes: [...new Set(scopes as Scope[])], idPatterns, ownedOnly, expiresAt };
}

function parseExpiry(expires: unknown, now: Date): string | null | Failure {
  if (expires === undefined || expires === null) return null;
  if (typeof expires !== 'string') return fail('badRequest', 'expires must be a date such as 2027-01-01.');
  const at = Date.parse(DATE_ONLY.test(expires) ? `${expires}T00:00:00Z` : expires);
  if (Number.isNaN(at)) return fail('badRequest', `expires '${expires}' is not a date such as 2027-01-01.`);
  if (at <= now.getTime()) return fail('badRequest', `expires '${expires}' is not in the future.`);
  return new Date(at).toISOString();
}
