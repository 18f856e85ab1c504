/**
 * Trust policies behind `npx edgeget trust add|list|remove` (admin key only): PUT /admin/trust
 * `{ user, owner, repo, workflow, environment?, ids?, scopes? }` adds one; GET lists them;
 * DELETE /admin/trust/{policy} removes one and revokes every key it issued.
 */
import { randomHex } from '../auth/issueKey';
import { parseTrustPolicy, type TrustPolicy } from '../auth/trustPolicy';
import { fail, failureResponse, isFailure } from '../problems';
import { jsonResponse } from '../respond';
import { insertPolicy, listPolicies, removePolicy } from '../store/trust';
import { adminRoute } from './adminRequest';

function policyView(policy: TrustPolicy) {
  const {
    policyId,
    username,
    owner,
    repository,
    workflow,
    environment,
    idPatterns,
    scopes,
    createdAt,
    validateBy,
    revokedAt,
  } = policy;
  const state = revokedAt !== null ? 'removed' : policy.repositoryId !== null ? 'active' : 'temporary';
  return {
    id: policyId,
    user: username,
    owner,
    repo: repository,
    workflow,
    environment,
    ids: idPatterns,
    scopes,
    created: createdAt,
    // Until its first use pins the repository's ids, a policy lapses at validateBy.
    validateBy: policy.repositoryId === null ? validateBy : null,
    removed: revokedAt,
    state,
  };
}

export const addTrustPolicy = adminRoute(async (request, env, _cache, by) => {
  const policy = parseTrustPolicy(await request.json().catch(() => null), by.now);
  if (isFailure(policy)) return failureResponse(policy);
  const policyId = randomHex(4);
  const audit = {
    at: by.now.toISOString(),
    actor: by.actor,
    action: 'trust.add',
    lowerId: '',
    detail: { policy: policyId, ...policy },
  };
  return jsonResponse(policyView(await insertPolicy(env.DB, policy, policyId, audit)), { status: 201 });
});

export const listTrustPolicies = adminRoute(async (_request, env) =>
  jsonResponse({ policies: (await listPolicies(env.DB)).map(policyView) }),
);

export const removeTrustPolicy = adminRoute(async (request, env, _cache, by) => {
  const policyId = request.params.policy ?? '';
  const audit = {
    at: by.now.toISOString(),
    actor: by.actor,
    action: 'trust.remove',
    lowerId: '',
    detail: { policy: policyId },
  };
  const removed = /^[0-9a-f]{8}$/.test(policyId) ? await removePolicy(env.DB, policyId, audit) : null;
  if (!removed)
    return failureResponse(fail('notFound', `There is no trust policy '${policyId}' (see npx edgeget trust list).`));
  return jsonResponse(policyView(removed));
});
