/**
 * The retention admin API behind `npx edgeget retention …` (admin key only): PUT /admin/retention
 * sets the rule of a pattern, GET lists the rules, DELETE /admin/retention?pattern=P removes one,
 * POST /admin/retention/run?dryRun=true|false[&limit=N] plans and (unless dry) applies them.
 */
import { runRetention } from '../admin/retention';
import { DEFAULT_MAX_ACTIONS, parseRetentionRule } from '../nuget/retention';
import { fail, failureResponse, isFailure } from '../problems';
import { jsonResponse } from '../respond';
import {
  putRetentionRule,
  removeRetentionRule,
  retentionRules,
  type StoredRetentionRule,
} from '../store/retentionRules';
import { adminRoute, queryValue } from './adminRequest';

function ruleView(rule: StoredRetentionRule) {
  const { createdAt, ...fields } = rule;
  return { ...fields, created: createdAt };
}

export const listRetentionRules = adminRoute(async (_request, env) =>
  jsonResponse({ rules: (await retentionRules(env.DB)).map(ruleView) }),
);

export const putRetention = adminRoute(async (request, env, _cache, by) => {
  const rule = parseRetentionRule(await request.json().catch(() => null));
  if (isFailure(rule)) return failureResponse(rule);
  const { added } = await putRetentionRule(env.DB, rule, { at: by.now.toISOString(), actor: by.actor });
  return jsonResponse({ rule, outcome: added ? 'added' : 'changed' });
});

export const deleteRetention = adminRoute(async (request, env, _cache, by) => {
  const pattern = queryValue(request, 'pattern');
  if (!pattern) return failureResponse(fail('badRequest', 'pattern must name the rule to remove.'));
  const removed = await removeRetentionRule(env.DB, pattern, { at: by.now.toISOString(), actor: by.actor });
  if (!removed) return failureResponse(fail('notFound', `There is no retention rule for ${pattern}.`));
  return jsonResponse({ rule: ruleView(removed), outcome: 'removed' });
});

export const runRetentionRules = adminRoute(async (request, env, cache, by) => {
  const dryRun = queryValue(request, 'dryRun');
  // A run may delete for good, so it is never the default of a request that forgot to say.
  if (dryRun !== 'true' && dryRun !== 'false')
    return failureResponse(fail('badRequest', 'dryRun must be true or false.'));
  const limitText = queryValue(request, 'limit');
  const limit = limitText === undefined ? DEFAULT_MAX_ACTIONS : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > DEFAULT_MAX_ACTIONS) {
    return failureResponse(fail('badRequest', `limit must be a whole number from 1 to ${DEFAULT_MAX_ACTIONS}.`));
  }
  const report = await runRetention(env, cache, { dryRun: dryRun === 'true', limit, now: by.now, origin: by.origin });
  const action = ({ id, version, action, rule }: (typeof report.actions)[number]) => ({ id, version, action, rule });
  return jsonResponse({
    dryRun: report.dryRun,
    actions: report.actions.map(action),
    failed: report.failed.map((failed) => ({ ...action(failed), error: failed.error })),
    kept: report.kept.map(({ id, version, reason }) => ({ id, version, reason })),
    remaining: report.remaining,
    warnings: report.warnings,
  });
});
