/**
 * Trusted publishing's policies: how a token is matched to the user's policies (nuget.org's rules:
 * case-insensitive names, undisclosed owner and repository mismatches, disclosed workflow and
 * environment mismatches, ids pinned by the first use, temporary policies lapsing), what the issued
 * key may do, and that removing a policy revokes its keys (the admin API: test/trustPolicyAdmin.test.ts).
 * The issuer's keys are served by a fetch stub (test/support/oidcIssuer.ts); signatures are real.
 * This file configures its own issuer (OIDC_ISSUER), so its keys never share a Cache API entry
 * with test/trustedPublishing.test.ts, whose tests count the fetches of GitHub's.
 */
import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { admin } from './support/adminApi';
import { faultyEnv, fetchWith, gate } from './support/faultyEnv';
import { FEED, pushRequest, buildNupkg } from './support/nupkg';
import {
  addPolicy,
  exchange,
  exchangedKey,
  expectRefusal,
  type PolicyView,
  pushWith,
  useIssuer,
  tokenRequest,
} from './support/oidcIssuer';

const ISSUER = 'https://issuer.policies.test';
const { vars, token, keyFor } = useIssuer(ISSUER, 'policies-key');

const noMatch = (user: string) => `No matching trust policy owned by user '${user}' was found.`;
const workflowRef = (file: string) => `contoso/widgets/.github/workflows/${file}@refs/heads/main`;

async function storedPolicy(policyId: string): Promise<Record<string, string | null>> {
  return (await env.DB.prepare('SELECT * FROM trust_policies WHERE policy_id = ?').bind(policyId).first())!;
}

/** Policies are matched oldest first; tests that depend on the order set created_at explicitly. */
async function createdAt(policy: PolicyView, at: string): Promise<void> {
  await env.DB.prepare('UPDATE trust_policies SET created_at = ? WHERE policy_id = ?').bind(at, policy.id).run();
}

/** GET /admin/trust's policies. */
async function policies(): Promise<PolicyView[]> {
  const response = await admin('GET', '/admin/trust');
  expect(response.status).toBe(200);
  return ((await response.json()) as { policies: PolicyView[] }).policies;
}

const listed = async (policyId: string) => (await policies()).find((p) => p.id === policyId);

describe("matching a token to the user's policies", () => {
  it('does not disclose an owner or repository mismatch', async () => {
    const policy = await addPolicy({ user: 'carol' });
    for (const claims of [
      { repository: 'contoso/gadgets' },
      { repository: 'fabrikam/widgets' },
      { repository_owner: 'fabrikam' },
    ]) {
      await expectRefusal(await exchange(await token(claims), { username: 'carol', vars }), 401, noMatch('carol'));
    }
    await expectRefusal(await exchange(await token(), { username: 'nobody', vars }), 401, noMatch('nobody'));
    // A refused token pins nothing.
    expect(await storedPolicy(policy.id)).toMatchObject({ owner_id: null, repository_id: null });
  });

  it('compares user, owner, repository and workflow case-insensitively, after normalizing the input', async () => {
    const policy = await addPolicy({
      user: 'Dave',
      owner: 'Contoso',
      repo: 'https://github.com/Contoso/Widgets.git',
      workflow: '.github/workflows/Release.YML',
    });
    expect(policy).toMatchObject({ user: 'Dave', owner: 'Contoso', repo: 'Widgets', workflow: 'Release.YML' });
    await keyFor('dave');
    const backslashes = await addPolicy({
      user: 'dave2',
      repo: 'contoso/widgets',
      workflow: '.github\\workflows\\ci.yml',
    });
    expect(backslashes).toMatchObject({ repo: 'widgets', workflow: 'ci.yml' });
    await keyFor('DAVE2', { job_workflow_ref: workflowRef('CI.yml') });
  });

  it('discloses a workflow mismatch once owner and repository match', async () => {
    const policy = await addPolicy({ user: 'erin' });
    await expectRefusal(
      await exchange(await token({ job_workflow_ref: workflowRef('ci.yml') }), { username: 'erin', vars }),
      401,
      `Workflow mismatch for policy '${policy.id}': expected 'release.yml', actual 'ci.yml'.`,
    );
  });

  it('discloses every mismatch, oldest policy first, joined with ". "', async () => {
    const newer = await addPolicy({ user: 'frank', workflow: 'b.yml' });
    const older = await addPolicy({ user: 'frank', workflow: 'a.yml' });
    await createdAt(older, '2020-01-01T00:00:00.000Z');
    await expectRefusal(
      await exchange(await token({ job_workflow_ref: workflowRef('c.yml') }), { username: 'frank', vars }),
      401,
      `Workflow mismatch for policy '${older.id}': expected 'a.yml', actual 'c.yml'. ` +
        `Workflow mismatch for policy '${newer.id}': expected 'b.yml', actual 'c.yml'.`,
    );
  });

  it('requires the environment a policy names (any case); a policy naming none takes any', async () => {
    const policy = await addPolicy({ user: 'grace', environment: ' production ' });
    expect(policy.environment).toBe('production');
    const mismatch = (actual: string) =>
      `Environment mismatch for policy '${policy.id}': expected 'production', actual '${actual}'.`;
    await expectRefusal(await exchange(await token(), { username: 'grace', vars }), 401, mismatch(''));
    await expectRefusal(
      await exchange(await token({ environment: 'staging' }), { username: 'grace', vars }),
      401,
      mismatch('staging'),
    );
    await keyFor('grace', { environment: 'PRODUCTION' });
    await addPolicy({ user: 'heidi' });
    await keyFor('heidi', { environment: 'staging' });
  });

  it('uses the oldest of several matching policies', async () => {
    const newer = await addPolicy({ user: 'ivan', ids: ['Newer.*'] });
    const older = await addPolicy({ user: 'ivan', ids: ['Older.*'] });
    await createdAt(older, '2020-01-01T00:00:00.000Z');
    const apiKey = await keyFor('ivan');
    expect((await pushWith(apiKey, 'Older.Trusted.Lib')).status).toBe(201);
    expect((await pushWith(apiKey, 'Newer.Trusted.Lib')).status).toBe(403);
    expect((await storedPolicy(newer.id)).repository_id).toBeNull();
  });
});

describe('temporary policies and pinned ids', () => {
  it('the first use pins the owner and repository ids; a repository recreated under the name is not trusted', async () => {
    const policy = await addPolicy({ user: 'judy' });
    expect(policy.state).toBe('temporary');
    expect(Date.parse(policy.validateBy!) - Date.parse(policy.created)).toBe(7 * 86_400_000);
    await keyFor('judy', { repository_owner_id: '1001', repository_id: '5005' });
    expect(await storedPolicy(policy.id)).toMatchObject({ owner_id: '1001', repository_id: '5005' });
    expect(await listed(policy.id)).toMatchObject({ state: 'active', validateBy: null });
    for (const claims of [{ repository_id: '6006' }, { repository_owner_id: '7007', repository_id: '5005' }]) {
      await expectRefusal(await exchange(await token(claims), { username: 'judy', vars }), 401, noMatch('judy'));
    }
    await keyFor('judy', { repository_owner_id: '1001', repository_id: '5005' });
  });

  it('a policy never used lapses at validateBy, with a message saying so', async () => {
    const policy = await addPolicy({ user: 'kim' });
    await env.DB.prepare('UPDATE trust_policies SET validate_by = ? WHERE policy_id = ?')
      .bind(new Date(Date.now() - 60_000).toISOString(), policy.id)
      .run();
    await expectRefusal(
      await exchange(await token(), { username: 'kim', vars }),
      401,
      `The policy '${policy.id}' has expired: it was not used within 7 days. Renew it with npx edgeget trust add.`,
    );
  });

  it('a pinned policy does not lapse', async () => {
    const policy = await addPolicy({ user: 'leo' });
    await keyFor('leo');
    await env.DB.prepare('UPDATE trust_policies SET validate_by = ? WHERE policy_id = ?')
      .bind('2000-01-01T00:00:00.000Z', policy.id)
      .run();
    await keyFor('leo');
  });
});

describe('the issued key', () => {
  it("carries exactly the policy's scopes and ids", async () => {
    const policy = await addPolicy({
      user: 'mia',
      ids: ['Fabrikam.Tp.*', 'Exact.Tp.Id'],
      scopes: ['push-version', 'unlist'],
    });
    const { apiKey, expires } = await exchangedKey(await exchange(await token(), { username: 'mia', vars }));
    const { results } = await env.DB.prepare(
      'SELECT kind, scopes, id_patterns, owned_only, expires_at, revoked_at FROM api_keys WHERE policy_id = ?',
    )
      .bind(policy.id)
      .all<Record<string, string | number | null>>();
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ kind: 'api', owned_only: 0, expires_at: expires, revoked_at: null });
    expect(JSON.parse(results[0]!.scopes as string)).toEqual(['push-version', 'unlist']);
    expect(JSON.parse(results[0]!.id_patterns as string)).toEqual(['Fabrikam.Tp.*', 'Exact.Tp.Id']);

    const newId = await pushWith(apiKey, 'Fabrikam.Tp.New');
    expect(newId.status).toBe(403);
    expect(newId.statusText).toMatch(/may not push new package ids/);
    expect(
      (await exports.default.fetch(pushRequest(buildNupkg({ id: 'Fabrikam.Tp.Lib', version: '1.0.0' })))).status,
    ).toBe(201);
    expect((await pushWith(apiKey, 'Fabrikam.Tp.Lib', '1.0.1')).status).toBe(201);
    const unlist = new Request(`${FEED}/api/v2/package/Fabrikam.Tp.Lib/1.0.1`, {
      method: 'DELETE',
      headers: { 'X-NuGet-ApiKey': apiKey },
    });
    expect((await exports.default.fetch(unlist)).status).toBe(204);
    expect((await pushWith(apiKey, 'Contoso.Tp.Outside')).status).toBe(403);
    expect((await admin('GET', '/admin/keys', undefined, apiKey)).status).toBe(401);
  });

  it('is revoked, with every other key of its policy, when the policy is removed; other policies keep theirs', async () => {
    const policy = await addPolicy({ user: 'ned', ids: ['Ned.*'] });
    const [first, second] = [await keyFor('ned'), await keyFor('ned')];
    await addPolicy({ user: 'olga', ids: ['Olga.*'] });
    const other = await keyFor('olga');
    expect((await pushWith(first, 'Ned.Trusted.Lib')).status).toBe(201);

    const removed = await admin('DELETE', `/admin/trust/${policy.id}`);
    expect(removed.status).toBe(200);
    expect(await removed.json()).toMatchObject({ id: policy.id, state: 'removed', removed: expect.any(String) });
    for (const apiKey of [first, second]) {
      const push = await pushWith(apiKey, 'Ned.Trusted.Lib', '2.0.0');
      expect(push.status).toBe(401);
      expect(push.statusText).toMatch(/has been revoked/);
    }
    const { results } = await env.DB.prepare('SELECT revoked_at FROM api_keys WHERE policy_id = ?')
      .bind(policy.id)
      .all<{ revoked_at: string | null }>();
    expect(results.map((r) => r.revoked_at !== null)).toEqual([true, true]);
    expect((await pushWith(other, 'Olga.Trusted.Lib')).status).toBe(201);

    await expectRefusal(await exchange(await token(), { username: 'ned', vars }), 401, noMatch('ned'));
    expect(await listed(policy.id)).toMatchObject({ state: 'removed' });
    for (const id of [policy.id, 'not-an-id']) {
      const again = await admin('DELETE', `/admin/trust/${id}`);
      expect(again.status).toBe(404);
      expect(await again.json()).toEqual({ error: `There is no trust policy '${id}' (see npx edgeget trust list).` });
    }
  });
});

/**
 * An exchange held just before its D1 batch (the one that stores the key), while something else
 * changes the policy; then let go. Answers the held exchange's response.
 */
async function heldExchange(user: string, claims: Record<string, unknown>, meanwhile: () => Promise<void>) {
  const release = gate();
  const reached = gate();
  const wait = () => {
    reached.open();
    return release.until;
  };
  const faulty = faultyEnv({ ...env, ...vars }, [{ binding: 'DB', method: 'batch', effect: { wait } }]);
  const pending = fetchWith(faulty.env, tokenRequest(await token(claims), { username: user }));
  await reached.until;
  await meanwhile();
  release.open();
  return pending;
}

// The policy is read before the exchange's batch: the batch itself must find it still matching, as it is
// when the batch commits (not removed; ids unpinned or equal to the token's), or no key is stored.
describe('exchanges racing a change of their policy', () => {
  it('a key stored after its policy was removed does not survive the removal', async () => {
    const policy = await addPolicy({ user: 'rita', ids: ['Rita.*'] });
    const response = await heldExchange('rita', {}, async () => {
      expect((await admin('DELETE', `/admin/trust/${policy.id}`)).status).toBe(200);
    });
    // Either answer is sound (refused, or a key that no longer works); a working key is not.
    if (response.status === 200) {
      const { apiKey } = await exchangedKey(response);
      expect((await pushWith(apiKey, 'Rita.Trusted.Lib')).status).toBe(401);
    } else {
      expect(response.status).toBe(401);
      expect(response.headers.get('WWW-Authenticate')).toBe('Bearer');
    }
  });

  it("a first use racing another repository's first use gets no key once that one pinned the policy", async () => {
    const policy = await addPolicy({ user: 'sam' });
    const response = await heldExchange('sam', { repository_id: '5005' }, async () => {
      await keyFor('sam', { repository_id: '6006' });
    });
    expect(await storedPolicy(policy.id)).toMatchObject({ repository_id: '6006' });
    // Sequentially the repository 5005 would be refused; held, it must be refused too.
    await expectRefusal(response, 401, noMatch('sam'));
  });
});
