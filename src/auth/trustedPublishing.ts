/**
 * Trusted publishing: a GitHub Actions workflow's OIDC token exchanged for a short-lived API key
 * (POST /api/v2/token, nuget.org's contract), one step a line: parse the token, check its issuer,
 * verify its signature with the issuer's key, check its claims, match the user's trust policies,
 * mint a key scoped to the policy, store it with the token's jti (once only), answer the key.
 */
import type { Env } from '../env';
import { fail, type Failure } from '../problems';
import { storeExchange, activePolicies } from '../store/trust';
import { mintKey, randomHex } from './issueKey';
import { issuerKey } from './issuerKeys';
import { isRs256, parseJwt, verifyRs256 } from './jwt';
import { checkClaims, checkIssuer, TOKEN_ERRORS } from './oidcClaims';
import type { TokenRequest } from './tokenRequest';
import { matchPolicy } from './trustPolicy';

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';
const DEFAULT_KEY_SECONDS = 900;
const MAX_KEY_SECONDS = 3600;

export interface ExchangedKey {
  tokenType: 'ApiKey';
  /** ISO 8601. */
  expires: string;
  apiKey: string;
}

type TrustEnv = Pick<Env, 'DB' | 'OIDC_ISSUER' | 'OIDC_AUDIENCE' | 'TRUSTED_KEY_SECONDS'>;

function keySeconds(env: TrustEnv): number {
  const seconds = Number(env.TRUSTED_KEY_SECONDS ?? DEFAULT_KEY_SECONDS);
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, MAX_KEY_SECONDS) : DEFAULT_KEY_SECONDS;
}

/** Key names are unique among active keys and show in logs and ownership: the policy's id, and a suffix per exchange. */
const keyName = (policyId: string) => `trusted-${policyId}-${randomHex(6)}`;

export async function exchangeToken(
  env: TrustEnv,
  cache: Cache,
  request: TokenRequest & { origin: string; now: Date },
): Promise<ExchangedKey | Failure> {
  const unauthorized = (message: string) => fail('unauthorized', message);
  const issuer = env.OIDC_ISSUER ?? GITHUB_ISSUER;
  const jwt = parseJwt(request.jwt);
  if (!jwt) return unauthorized(TOKEN_ERRORS.unparsable);
  const wrongIssuer = checkIssuer(jwt.claims, issuer);
  if (wrongIssuer) return unauthorized(wrongIssuer);
  if (!isRs256(jwt)) return unauthorized(TOKEN_ERRORS.invalidSignature);
  let key: Awaited<ReturnType<typeof issuerKey>>;
  try {
    key = await issuerKey(cache, issuer, jwt.header.kid as string, request.now);
  } catch (error) {
    console.error('OIDC issuer keys unavailable', issuer, error);
    return unauthorized(`${TOKEN_ERRORS.notValidated} The keys of ${issuer} could not be fetched; try again.`);
  }
  if (!key || !(await verifyRs256(jwt, key))) return unauthorized(TOKEN_ERRORS.invalidSignature);
  const claims = checkClaims(jwt.claims, env.OIDC_AUDIENCE ?? request.origin, request.now);
  if (typeof claims === 'string') return unauthorized(claims);
  const policy = matchPolicy(await activePolicies(env.DB, request.username), claims, request.username, request.now);
  if ('error' in policy) return unauthorized(policy.error);
  const expires = new Date(request.now.getTime() + keySeconds(env) * 1000).toISOString();
  const minted = await mintKey(
    {
      name: keyName(policy.policyId),
      kind: 'api',
      scopes: policy.scopes,
      idPatterns: policy.idPatterns,
      ownedOnly: false,
      expiresAt: expires,
    },
    request.now,
  );
  const stored = await storeExchange(env.DB, {
    keyHash: minted.keyHash,
    key: minted.key,
    policy,
    jti: claims.jti,
    tokenExpires: claims.expires,
    ownerId: claims.repositoryOwnerId,
    repositoryId: claims.repositoryId,
  });
  if (stored === 'used') return unauthorized(TOKEN_ERRORS.replayed);
  // Removed, or first used by another repository, while this exchange ran.
  if (stored === 'policy')
    return unauthorized(`No matching trust policy owned by user '${request.username}' was found.`);
  return { tokenType: 'ApiKey', expires, apiKey: minted.token };
}
