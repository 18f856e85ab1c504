/** The trust policies' admin API (issue 18): what it refuses, and that only the admin key gets in. */
import { describe, expect, it } from 'vitest';
import { admin } from './support/adminApi';
import { addPolicy, type PolicyView, useIssuer } from './support/oidcIssuer';

const { keyFor } = useIssuer('https://issuer.admin.test', 'admin-key');

/** GET /admin/trust's policies. */
async function policies(): Promise<PolicyView[]> {
  const response = await admin('GET', '/admin/trust');
  expect(response.status).toBe(200);
  return ((await response.json()) as { policies: PolicyView[] }).policies;
}

describe('the admin API', () => {
  const base = { user: 'pat', owner: 'contoso', repo: 'widgets', workflow: 'release.yml' };
  const IDS = 'ids must list 1 to 50 package id patterns such as Contoso.*.';
  const SCOPES = 'scopes must list one or more of push, push-version, unlist.';
  const cases: [string, unknown, string][] = [
    ['not an object', 'policy', 'Expected a JSON object describing the policy.'],
    [
      'no user',
      { ...base, user: undefined },
      'user is required: the name the workflow sends (1-64 letters, digits, dots, dashes, underscores).',
    ],
    [
      'a user with spaces',
      { ...base, user: 'pat smith' },
      'user is required: the name the workflow sends (1-64 letters, digits, dots, dashes, underscores).',
    ],
    ['no owner', { ...base, owner: '' }, 'owner is required: the GitHub user or organization owning the repository.'],
    [
      'a repo path too deep',
      { ...base, repo: 'contoso/widgets/extra' },
      'repo must be a repository: name, owner/name or its GitHub URL.',
    ],
    [
      "another owner's repo",
      { ...base, repo: 'fabrikam/widgets' },
      'repo fabrikam/widgets is not a repository of contoso.',
    ],
    ['a repo name GitHub refuses', { ...base, repo: 'wid gets' }, 'repo wid gets is not a GitHub repository name.'],
    ['no workflow', { ...base, workflow: undefined }, 'workflow is required: the workflow file, e.g. release.yml.'],
    [
      'a workflow in a folder',
      { ...base, workflow: 'sub/release.yml' },
      'workflow is required: the workflow file, e.g. release.yml.',
    ],
    ['an environment that is not text', { ...base, environment: 5 }, 'environment must be text.'],
    ['no ids', { ...base, ids: [] }, IDS],
    ['an id pattern with a space', { ...base, ids: ['Contoso Lib'] }, IDS],
    ['51 ids', { ...base, ids: Array.from({ length: 51 }, (_, i) => `Id${i}`) }, IDS],
    ['no scopes', { ...base, scopes: [] }, SCOPES],
    ['the read scope', { ...base, scopes: ['read'] }, SCOPES],
  ];

  it.each(cases)('refuses %s with a 400 and stores nothing', async (_name, body, error) => {
    const before = (await policies()).length;
    const response = await admin('PUT', '/admin/trust', body);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error });
    expect(await policies()).toHaveLength(before);
  });

  it('refuses every key but the admin key with a 401, before reading the body', async () => {
    const created = await admin('POST', '/admin/keys', { name: 'trust-outsider', scopes: ['push'] });
    const scoped = ((await created.json()) as { key: string }).key;
    const policy = await addPolicy({ user: 'quinn' });
    const trusted = await keyFor('quinn');
    for (const apiKey of ['', 'wrong-key', scoped, trusted]) {
      for (const [method, path, body] of [
        ['PUT', '/admin/trust', { ...base, user: 'intruder' }],
        ['GET', '/admin/trust', undefined],
        ['DELETE', `/admin/trust/${policy.id}`, undefined],
      ] as const) {
        const response = await admin(method, path, body, apiKey);
        expect(response.status, `${method} ${path} with ${apiKey.slice(0, 8)}`).toBe(401);
        expect(await response.json()).toEqual({
          error: 'A valid API key is required: pass it with -k / X-NuGet-ApiKey.',
        });
      }
    }
    const after = await policies();
    expect(after.filter((p) => p.user === 'intruder')).toEqual([]);
    expect(after.find((p) => p.id === policy.id)).toMatchObject({ state: 'active', removed: null });
  });
});
