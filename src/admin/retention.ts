/**
 * A retention run (`npx edgeget retention run`, and each scheduled repair pass), one step a line:
 * read the rules, the exact pins, then the matched ids a page at a time with their versions; plan
 * (src/nuget/retention.ts, pure); unless it is a dry run, apply each action through the spine an
 * operator's own change takes: setListed for an unlist, hardDelete for a delete. A failed action
 * is reported and the run goes on; the next run plans it again.
 *
 * What one run reads: IDS_PER_PAGE matched ids and their versions at a time (one query each),
 * and, for the pins, one query per PIN_PAGE ids of the feed returning only latest versions with
 * an exact range. Every matched id is planned, so `remaining` and `kept` are whole, but at most
 * `limit` actions are taken: each rebuilds its id's documents (a dozen or so subrequests).
 */
import type { Env } from '../env';
import { ADMIN_GRANT } from '../nuget/keyScopes';
import {
  DEFAULT_MAX_ACTIONS,
  exactPins,
  type KeptVersion,
  type PlannedAction,
  planRetention,
  type RetentionPin,
  type RetentionRule,
  ruleFor,
} from '../nuget/retention';
import { isFailure } from '../problems';
import { setListed } from '../push/listing';
import {
  idsMatchingRulesAfter,
  latestVersionsPinningAfter,
  retentionPackagesOf,
  retentionRules,
} from '../store/retentionRules';
import { hardDelete } from './deletePackages';

/** The audit log's name for changes a retention run makes, whoever started it. */
export const RETENTION_ACTOR = 'retention';
const IDS_PER_PAGE = 100;
const PIN_PAGE = 500;

export interface RetentionRequest {
  dryRun: boolean;
  /** At most this many actions (DEFAULT_MAX_ACTIONS when absent). */
  limit?: number;
  now: Date;
  /** Whose edge-cached documents the changes purge. */
  origin: string;
}

export interface RetentionReport {
  dryRun: boolean;
  /** Done, or in a dry run what a run would do, in the order it does them. */
  actions: PlannedAction[];
  failed: (PlannedAction & { error: string })[];
  kept: KeptVersion[];
  /** Actions past the limit, left for the next run. */
  remaining: number;
  warnings: string[];
}

/** The versions other packages' latest versions pin, of ids some rule matches. */
async function pinsOf(db: D1Database, rules: readonly RetentionRule[]): Promise<RetentionPin[]> {
  const pins: RetentionPin[] = [];
  let after: string | null = '';
  while (after !== null) {
    const { latest, last } = await latestVersionsPinningAfter(db, after, PIN_PAGE);
    pins.push(...exactPins(latest).filter((pin) => ruleFor(pin.lowerId, rules) !== null));
    after = last;
  }
  return pins;
}

async function plan(db: D1Database, limit: number, now: Date) {
  const rules = await retentionRules(db);
  const result = { actions: [] as PlannedAction[], kept: [] as KeptVersion[], remaining: 0 };
  if (rules.length === 0) return result;
  const pinned = await pinsOf(db, rules);
  for (let after = ''; ; ) {
    const ids = await idsMatchingRulesAfter(db, after, IDS_PER_PAGE);
    if (ids.length === 0) break;
    const packages = await retentionPackagesOf(db, ids);
    // Pages come in lower_id order, as the planner orders ids: the pages' plans add up to one plan.
    const maxActions = limit - result.actions.length;
    const page = planRetention({ rules, packages, pinned, maxActions }, now);
    result.actions.push(...page.actions);
    result.kept.push(...page.kept);
    result.remaining += page.remaining;
    after = ids.at(-1)?.lowerId ?? after;
    if (ids.length < IDS_PER_PAGE) break;
  }
  return result;
}

/** One action through its spine; its warnings, or why it failed. */
async function apply(
  env: Pick<Env, 'DB' | 'PAGES' | 'PACKAGES'>,
  cache: Cache,
  action: PlannedAction,
  request: RetentionRequest,
): Promise<{ warnings: string[] } | { error: string }> {
  const { id, version } = action;
  const { now, origin } = request;
  if (action.action === 'delete') {
    const deleted = await hardDelete(env, cache, {
      id,
      version,
      allowReuse: false,
      rule: action.rule,
      actor: RETENTION_ACTOR,
      now,
      origin,
    });
    return isFailure(deleted) ? { error: deleted.message } : { warnings: deleted.warnings };
  }
  const audit = { actor: RETENTION_ACTOR, action: 'unlist', detail: { version, rule: action.rule } };
  const change = await setListed(env, cache, {
    publisher: ADMIN_GRANT,
    id,
    version,
    listed: false,
    now,
    origin,
    audit,
  });
  return isFailure(change) ? { error: change.message } : { warnings: change.warnings };
}

export async function runRetention(
  env: Pick<Env, 'DB' | 'PAGES' | 'PACKAGES'>,
  cache: Cache,
  request: RetentionRequest,
): Promise<RetentionReport> {
  const planned = await plan(env.DB, request.limit ?? DEFAULT_MAX_ACTIONS, request.now);
  const report: RetentionReport = { dryRun: request.dryRun, ...planned, failed: [], warnings: [] };
  if (request.dryRun) return report;
  report.actions = [];
  // One at a time, oldest first: the actions of one id rebuild the same documents.
  for (const action of planned.actions) {
    const outcome = await apply(env, cache, action, request).catch((error: unknown) => ({
      error: error instanceof Error ? error.message : String(error),
    }));
    if ('error' in outcome) {
      console.error('retention action failed', action.lowerId, action.version, outcome.error);
      report.failed.push({ ...action, error: outcome.error });
    } else {
      report.actions.push(action);
      report.warnings.push(...outcome.warnings.filter((warning) => !report.warnings.includes(warning)));
    }
  }
  return report;
}
