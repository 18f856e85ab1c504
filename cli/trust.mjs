/**
 * `edgeget trust add|list|remove`: trusted publishing's policies, through the feed's /admin/trust.
 * A policy lets one GitHub repository's workflow exchange its OIDC identity token at
 * POST /api/v2/token (the NuGet/login action) for a short-lived API key with the policy's ids and
 * scopes; removing it revokes every key it issued.
 */
import { adminCall, feedOf } from './feed.mjs';

const SCOPES = ['push', 'push-version', 'unlist'];
const list = (text) =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

/** What a policy trusts: who may send its user name, and what the key it issues may do. */
function trusted(policy) {
  const environment = policy.environment ? `environment ${policy.environment}` : 'any environment';
  return (
    `user ${policy.user} from ${policy.owner}/${policy.repo}, workflow ${policy.workflow}, ${environment}; ` +
    `${policy.scopes.join(',')} on ${policy.ids.join(',')}`
  );
}

function describePolicy(policy) {
  const until =
    policy.state === 'temporary'
      ? `; until ${policy.validateBy} unless first used`
      : policy.state === 'removed'
        ? `; removed ${policy.removed}`
        : '';
  return `${policy.id} ${policy.state}: ${trusted(policy)}${until}`;
}

async function add(options, command) {
  const feed = feedOf(command.optsWithGlobals());
  const body = {
    user: options.user,
    owner: options.owner,
    repo: options.repo,
    workflow: options.workflow,
    environment: options.environment,
    ids: options.ids === undefined ? undefined : list(options.ids),
    scopes: options.scopes === undefined ? undefined : list(options.scopes),
  };
  const policy = await adminCall(feed, 'PUT', '/admin/trust', body);
  if (options.json) return console.log(JSON.stringify(policy, null, 2));
  console.log(`Added the trust policy ${policy.id}: ${trusted(policy)}.`);
  console.log(`It is temporary until its first use pins the repository's ids, until ${policy.validateBy}.`);
  console.log(
    `\nIn .github/workflows/${policy.workflow} of ${policy.owner}/${policy.repo} (with permissions: id-token: write` +
      `${policy.environment ? `, in a job with environment: ${policy.environment}` : ''}):\n`,
  );
  console.log('  - uses: NuGet/login@v1');
  console.log('    id: login');
  console.log('    with:');
  console.log(`      user: ${policy.user}`);
  console.log(`      token-service-url: ${feed.origin}/api/v2/token`);
  console.log(`      audience: ${feed.origin}    # the feed's origin, or OIDC_AUDIENCE if you set it`);
  console.log(
    `  - run: dotnet nuget push out/*.nupkg -s ${feed.origin}/v3/index.json -k \${{ steps.login.outputs.NUGET_API_KEY }}`,
  );
}

async function listPolicies(options, command) {
  const { policies } = await adminCall(feedOf(command.optsWithGlobals()), 'GET', '/admin/trust');
  if (options.json) return console.log(JSON.stringify(policies, null, 2));
  if (policies.length === 0) return console.log('No trust policies yet (add one with npx edgeget trust add).');
  for (const policy of policies) console.log(describePolicy(policy));
}

async function remove(id, _options, command) {
  const feed = feedOf(command.optsWithGlobals());
  const policy = await adminCall(feed, 'DELETE', `/admin/trust/${encodeURIComponent(id)}`);
  console.log(`Removed the trust policy ${policy.id}: ${trusted(policy)}.`);
  console.log('The keys it issued are revoked.');
}

export function trustCommand(program) {
  const trust = program
    .command('trust')
    .description('trusted publishing: let a GitHub Actions workflow get a short-lived key (admin key only)');
  trust
    .command('add')
    .description("trust a repository's workflow to exchange its OIDC token for a key; prints the workflow's values")
    .requiredOption('--user <name>', 'the name the workflow sends (NuGet/login `user`)')
    .requiredOption('--owner <owner>', 'the GitHub user or organization owning the repository')
    .requiredOption('--repo <repo>', 'the repository: name, owner/name or its GitHub URL')
    .requiredOption('--workflow <file>', 'the workflow file, e.g. release.yml')
    .option('--environment <name>', 'only jobs in this GitHub environment (default: any, or none)')
    .option('--ids <globs>', 'package ids the key may act on, comma-separated globs such as "Contoso.*" (default: all)')
    .option(
      '--scopes <list>',
      `what the key may do, comma-separated: ${SCOPES.join(', ')} (default: push,push-version)`,
    )
    .option('--json', 'print the policy as JSON', false)
    .action(add);
  trust
    .command('list')
    .description('list trust policies and their state')
    .option('--json', 'as JSON', false)
    .action(listPolicies);
  trust
    .command('remove')
    .description('remove a trust policy by id and revoke the keys it issued')
    .argument('<id>', 'the policy id shown by add and list')
    .action(remove);
}
