/**
 * The claims of a GitHub Actions OIDC token a trusted-publishing exchange relies on, checked the
 * way nuget.org checks them, with its wording (every failure is a 401). Pure: the caller passes
 * the configured issuer and audience and the time.
 */

export interface GitHubClaims {
  jti: string;
  /** ISO 8601 of the token's expiry: the jti is kept until then. */
  expires: string;
  repository: string;
  repositoryOwner: string;
  repositoryOwnerId: string;
  repositoryId: string;
  /** The file part of job_workflow_ref (`o/r/.github/workflows/<file>@<ref>`): the workflow that ran. */
  workflowFile: string;
  /** '' when the job ran in no environment. */
  environment: string;
}

/** Clock difference tolerated between GitHub and the Worker on exp and nbf. */
const SKEW_SECONDS = 60;
const MAX_JTI_LENGTH = 64;
const REQUIRED = [
  'repository',
  'repository_owner',
  'repository_owner_id',
  'repository_id',
  'event_name',
  'job_workflow_ref',
];

export const TOKEN_ERRORS = {
  unparsable: 'The bearer token could not be parsed as a JSON web token.',
  invalidSignature: 'The JSON web token has an invalid signature.',
  notValidated: 'The JSON web token could not be validated.',
  replayed: 'This bearer token has already been used. A new bearer token must be used for each request.',
} as const;

function isLoopbackHttp(url: URL): boolean {
  return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

/** The issuer and audience checks that come before any key is fetched: only the configured issuer's keys are ever asked for. */
export function checkIssuer(claims: Record<string, unknown>, issuer: string): string | null {
  const { aud, iss, jti } = claims;
  if (aud === undefined || aud === '' || (Array.isArray(aud) && aud.length === 0))
    return 'The JSON web token must have an aud claim.';
  if (Array.isArray(aud) && aud.length !== 1) return 'The JSON web token must have exactly one aud claim value.';
  if (typeof iss !== 'string' || iss === '') return 'The JSON web token must have an iss claim.';
  let url: URL;
  try {
    url = new URL(iss);
  } catch {
    return 'The JSON web token iss claim must be a valid HTTPS URL.';
  }
  // Plain http only for an issuer on this machine that the operator configured (a test issuer).
  if (url.protocol !== 'https:' && !(isLoopbackHttp(url) && iss === issuer))
    return 'The JSON web token iss claim must be a valid HTTPS URL.';
  if (iss !== issuer) return 'The JSON web token iss claim is not supported.';
  if (typeof jti !== 'string' || jti === '' || jti.length > MAX_JTI_LENGTH)
    return 'The JSON web token must have a jti claim.';
  return null;
}

/** After the signature: lifetime, audience and GitHub's claims. A message is the 401's error. */
export function checkClaims(claims: Record<string, unknown>, audience: string, now: Date): GitHubClaims | string {
  const seconds = now.getTime() / 1000;
  const { exp, nbf, aud } = claims;
  if (typeof exp !== 'number') return TOKEN_ERRORS.notValidated;
  if (exp < seconds - SKEW_SECONDS) return 'The JSON web token has expired.';
  if (typeof nbf === 'number' && nbf > seconds + SKEW_SECONDS) return 'The JSON web token is not yet valid.';
  if ((Array.isArray(aud) ? aud[0] : aud) !== audience) return 'The JSON web token has an incorrect audience.';
  for (const name of REQUIRED) {
    if (typeof claims[name] !== 'string' || claims[name] === '')
      return `The JSON Web Token is missing the required claim '${name}'.`;
  }
  const ref = claims.job_workflow_ref as string;
  const file = /\/\.github\/workflows\/([^@]+)@/.exec(ref)?.[1];
  if (!file) return `The JSON Web Token is missing the required claim 'job_workflow_ref'.`;
  return {
    jti: claims.jti as string,
    expires: new Date(exp * 1000).toISOString(),
    repository: claims.repository as string,
    repositoryOwner: claims.repository_owner as string,
    repositoryOwnerId: claims.repository_owner_id as string,
    repositoryId: claims.repository_id as string,
    workflowFile: file,
    environment: typeof claims.environment === 'string' ? claims.environment : '',
  };
}
