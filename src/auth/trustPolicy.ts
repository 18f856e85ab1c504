/**
 * Trust policies (`npx edgeget trust add`): which GitHub repository and workflow may exchange its
 * OIDC token for a key, and what the key may do. Matching follows nuget.org's rules: owner,
 * repository and workflow compare case-insensitively; the owner's and repository's numeric ids are
 * pinned by the first match (a policy never used is temporary, for 7 days), so a repository
 * deleted and created again does not inherit the trust; mismatches of owner or repository are not
 * disclosed to the caller, of workflow and environment they are. Pure: callers pass the time.
 */
import { isIdPattern, WRITE_SCOPES, type Scope } from '../nuget/keyScopes';
import { fail, type Failure } from '../problems';
import type { GitHubClaims } from './oidcClaims';

export interface TrustPolicy {
  policyId: string;
  username: string;
  owner: string;
  ownerId: string | null;
  /** The repository's name without its owner. */
  repository: string;
  repositoryId: string | null;
  /** The workflow file's name, e.g. release.yml. */
  workflow: string;
  /** '' when any environment (or none) may use the policy. */
  environment: string;
  idPatterns: string[];
  scopes: Scope[];
  createdAt: string;
  /** ISO 8601: until the first match pins the ids, the policy lapses then. */
  validateBy: string;
  revokedAt: string | null;
}

export type NewTrustPolicy = Omit<TrustPolicy, 'policyId' | 'ownerId' | 'repositoryId' | 'revokedAt'>;

const TEMPORARY_DAYS = 7;
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const GITHUB_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** `https://github.com/o/r`, `o/r` and `r` all name repository r (of owner o, when given). */
function repositoryName(given: string, owner: string): string | Failure {
  const path = given
    .replace(/^https:\/\/github\.com\//i, '')
    .replace(/\.git$/i, '')
    .replace(/\/+$/, '');
  const [first, second, ...rest] = path.split('/');
  if (rest.length > 0 || !first)
    return fail('badRequest', 'repo must be a repository: name, owner/name or its GitHub URL.');
  if (second !== undefined && !same(first, owner))
    return fail('badRequest', `repo ${given} is not a repository of ${owner}.`);
  const name = second ?? first;
  return GITHUB_NAME.test(name) ? name : fail('badRequest', `repo ${given} is not a GitHub repository name.`);
}

/** The body of PUT /admin/trust: `{ user, owner, repo, workflow, environment?, ids?, scopes? }`. */
export function parseTrustPolicy(body: unknown, now: Date): NewTrustPolicy | Failure {
  if (typeof body !== 'object' || body === null)
    return fail('badRequest', 'Expected a JSON object describing the policy.');
  const {
    user,
    owner,
    repo,
    workflow,
    environment,
    ids = ['*'],
    scopes = ['push', 'push-version'],
  } = body as Record<string, unknown>;
  if (!NAME.test(text(user)))
    return fail(
      'badRequest',
      'user is required: the name the workflow sends (1-64 letters, digits, dots, dashes, underscores).',
    );
  if (!GITHUB_NAME.test(text(owner)))
    return fail('badRequest', 'owner is required: the GitHub user or organization owning the repository.');
  const repository = repositoryName(text(repo), text(owner));
  if (typeof repository !== 'string') return repository;
  const file = text(workflow)
    .replace(/\\/g, '/')
    .replace(/^\.github\/workflows\//i, '');
  if (file === '' || file.includes('/'))
    return fail('badRequest', 'workflow is required: the workflow file, e.g. release.yml.');
  if (environment !== undefined && typeof environment !== 'string')
    return fail('badRequest', 'environment must be text.');
  if (
    !Array.isArray(ids) ||
    ids.length === 0 ||
    ids.length > 50 ||
    !ids.every((p) => typeof p === 'string' && isIdPattern(p))
  ) {
    return fail('badRequest', 'ids must list 1 to 50 package id patterns such as Contoso.*.');
  }
  if (!Array.isArray(scopes) || scopes.length === 0 || !scopes.every((s) => WRITE_SCOPES.includes(s as Scope))) {
    return fail('badRequest', `scopes must list one or more of ${WRITE_SCOPES.join(', ')}.`);
  }
  const validateBy = new Date(now.getTime() + TEMPORARY_DAYS * 86_400_000).toISOString();
  return {
    username: text(user),
    owner: text(owner),
    repository,
    workflow: file,
    environment: text(environment),
    idPatterns: ids as string[],
    scopes: [...new Set(scopes as Scope[])],
    createdAt: now.toISOString(),
    validateBy,
  };
}

/** The first of the user's policies (oldest first) the token satisfies, or the 401's message. */
export function matchPolicy(
  policies: readonly TrustPolicy[],
  claims: GitHubClaims,
  username: string,
  now: Date,
): TrustPolicy | { error: string } {
  const disclosed: string[] = [];
  for (const policy of [...policies].sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1))) {
    if (policy.revokedAt !== null || !same(policy.username, username)) continue;
    if (!same(policy.owner, claims.repositoryOwner) || !same(`${policy.owner}/${policy.repository}`, claims.repository))
      continue;
    if (policy.ownerId !== null && policy.ownerId !== claims.repositoryOwnerId) continue;
    if (policy.repositoryId !== null && policy.repositoryId !== claims.repositoryId) continue;
    if (policy.repositoryId === null && policy.validateBy < now.toISOString()) {
      disclosed.push(
        `The policy '${policy.policyId}' has expired: it was not used within ${TEMPORARY_DAYS} days. Renew it with npx edgeget trust add`,
      );
      continue;
    }
    if (!same(policy.workflow, claims.workflowFile)) {
      disclosed.push(
        `Workflow mismatch for policy '${policy.policyId}': expected '${policy.workflow}', actual '${claims.workflowFile}'`,
      );
      continue;
    }
    if (policy.environment !== '' && !same(policy.environment, claims.environment)) {
      disclosed.push(
        `Environment mismatch for policy '${policy.policyId}': expected '${policy.environment}', actual '${claims.environment}'`,
      );
      continue;
    }
    return policy;
  }
  return {
    error:
      disclosed.length > 0
        ? `${disclosed.join('. ')}.`
        : `No matching trust policy owned by user '${username}' was found.`,
  };
}
