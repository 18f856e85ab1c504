/**
 * The pull-through upstream's cache (README "Using an upstream feed"), a Durable Object per id:
 * it owns the id's version list and registration documents, as the upstream last sent them and
 * rewritten to this feed's URLs, with the time they were fetched. Within UPSTREAM_VERSIONS_TTL a
 * document is served from the object's storage; after it, one upstream request refreshes it
 * whatever the number of readers (they await the same promise), and if that fails the old copy
 * is served (stale-if-error). With nothing cached a failure is a 502 or 504 naming the upstream.
 * Package files are fetched once and kept in R2 (src/store/upstreamBlobs.ts): the first reader's
 * download streams into R2 while it streams to that reader; readers meanwhile wait for the put.
 *
 * Why a Durable Object: one instance per id serialises the first look-up, so an id's documents
 * and files are fetched once across every Worker isolate, and holds the promises readers share.
 *
 * The first look-up of an id reads its local history in D1 before the upstream hears of it, and
 * claims it for the upstream only once the upstream lists versions of it (an upstream 404 claims
 * nothing, so a typo does not block a later push). The instance named FEED (not an id: ids have no
 * '@') holds what is feed-wide: the upstream's service index and the circuit breaker, which after
 * BREAKER_FAILURES upstream failures in a row (any id) stops every upstream request for
 * BREAKER_COOL_DOWN_MS, answering from what is cached; the first request after it probes again.
 */
import { DurableObject } from 'cloudflare:workers';
import { IMMUTABLE } from './cachePolicy';
import type { Env } from './env';
import type { PackageFile } from './links';
import { isReserved, standingOf, type UpstreamResources } from './nuget/upstream';
import { fail, type Failure, isFailure } from './problems';
import { MISSING, type Missing } from './store/upstreamFeed';
import { deleteUpstreamBlobs } from './store/upstreamBlobs';
import { forgetUpstreamPackage, localFacts, recordUpstreamError } from './store/upstreamPackages';
import {
  beingForgotten,
  type Breaker,
  breakerAfter,
  breakerRefusal,
  fileFetch,
  LOCAL,
  type Local,
  registrationFetch,
  resourcesFetch,
  type Stored,
  upstreamConfigOf,
  type UpstreamEnv,
  versionsFetch,
} from './upstreamFetches';

/** How a first download ended, for the callers that waited for it ('uncached': fetch it yourself). */
type Download = 'stored' | 'uncached' | Missing | Failure;

/** The feed-wide instance's name: no package id contains '@'. */
const FEED = '@feed';

/** A stored document and when it was fetched. */
interface Entry {
  at: number;
  document: Stored | Missing;
}

export type Answer = Stored | Local | Missing | Failure;

/** What a registration request names: the index, a page by number, or a leaf by version. */
export type RegistrationDocument = { page?: number; leaf?: string };

export class UpstreamCache extends DurableObject<UpstreamEnv> {
  private readonly flights = new Map<string, Promise<unknown>>();
  private readonly downloads = new Map<string, Promise<Download>>();
  private forgetting = false;

  /** One run of `work` per key at a time: concurrent callers share its promise. */
  private once<T>(key: string, work: () => Promise<T>): Promise<T> {
    const running = this.flights.get(key) as Promise<T> | undefined;
    if (running) return running;
    const started = work().finally(() => this.flights.delete(key));
    this.flights.set(key, started);
    return started;
  }

  /** The id's version list (protocol §3.2), which also decides and claims the id's standing. */
  async versionsIndex(lowerId: string): Promise<Answer> {
    const config = upstreamConfigOf(this.env);
    if (isFailure(config)) return config;
    if (this.forgetting) return beingForgotten(lowerId);
    const kv = this.ctx.storage.kv;
    const standing = kv.get<{ kind: 'local' | 'upstream'; at: number }>('standing');
    const claimed = standing?.kind === 'upstream';
    if (standing?.kind === 'local' && Date.now() - standing.at < config.versionsTtlMs) return LOCAL;
    const entry = kv.get<Entry>('flat');
    const fresh = entry !== undefined && Date.now() - entry.at < config.versionsTtlMs;
    // An unclaimed id's local history is read before anything is asked upstream: a local id is
    // never named to the upstream, and its answer never depends on the upstream being up.
    if (!claimed && !fresh && standingOf(config, lowerId, await localFacts(this.env.DB, lowerId)) !== 'upstream') {
      kv.put('standing', { kind: 'local', at: Date.now() });
      return LOCAL;
    }
    const fetched = await this.cached(lowerId, 'flat', config.versionsTtlMs, (resources) =>
      versionsFetch(this.env, config, resources, lowerId, claimed ? 'claimed' : 'unclaimed'),
    );
    if ('local' in fetched) kv.put('standing', { kind: 'local', at: Date.now() });
    else if ('text' in fetched && !claimed) kv.put('standing', { kind: 'upstream', at: Date.now() });
    return fetched;
  }

  /** A registration index, page or leaf of one hive level, stored against STORED_ORIGIN (src/links.ts). */
  async registration(lowerId: string, level: 'semver1' | 'semver2', wanted: RegistrationDocument): Promise<Answer> {
    const standing = await this.upstreamStanding(lowerId);
    if (standing !== null) return standing;
    const config = upstreamConfigOf(this.env);
    if (isFailure(config)) return config;
    const ttl = config.versionsTtlMs;
    const index = await this.cached(lowerId, `registration/${level}/index`, ttl, (resources) =>
      registrationFetch(config, resources, lowerId, level, {}),
    );
    if (!('text' in index) || (wanted.page === undefined && wanted.leaf === undefined)) return index;
    const pageUrl = wanted.page === undefined ? undefined : index.pages?.[wanted.page];
    if (wanted.page !== undefined && !pageUrl) return MISSING;
    const key = pageUrl ? `registration/${level}/page/${wanted.page}` : `registration/${level}/leaf/${wanted.leaf}`;
    return this.cached(lowerId, key, ttl, (resources) =>
      registrationFetch(config, resources, lowerId, level, { page: wanted.page, pageUrl, leaf: wanted.leaf }),
    );
  }

  /**
   * A package file: 'stored' when it is in R2 (the route serves it from there), else the first
   * download's response, streamed from the upstream while it is stored.
   */
  async packageFile(
    lowerId: string,
    lowerVersion: string,
    file: PackageFile,
    contentType: string,
  ): Promise<Response | 'stored' | Local | Missing | Failure> {
    const standing = await this.upstreamStanding(lowerId);
    if (standing !== null) return standing;
    const config = upstreamConfigOf(this.env);
    if (isFailure(config)) return config;
    const key = `${lowerVersion}/${file}`;
    const running = this.downloads.get(key);
    if (running) {
      const outcome = await running;
      if (outcome !== 'uncached') return outcome;
    }
    // Registered before the first await, so that every caller from here on waits for this download.
    let settle: (outcome: Download) => void = () => undefined;
    const download = new Promise<Download>((resolve) => {
      settle = resolve;
    });
    this.downloads.set(key, download);
    void download.then(() => this.downloads.delete(key));
    const fetched = await this.upstream((resources) =>
      fileFetch(this.env, config, resources, { lowerId, lowerVersion, file, contentType }),
    );
    if (isFailure(fetched) || fetched === 'stored' || 'missing' in fetched) {
      settle(fetched);
      if (!isFailure(fetched) || 'refused' in fetched) return fetched;
      return this.failed(lowerId, fetched);
    }
    const stored = fetched.stored;
    if (stored) {
      const failed = (error: unknown) => this.failed(lowerId, fail('badGateway', `Storing ${key} failed: ${error}`));
      this.ctx.waitUntil(
        stored.then(
          () => settle('stored'),
          async (error) => settle(await failed(error)),
        ),
      );
    } else settle('uncached');
    const length: Record<string, string> = Number.isNaN(fetched.length)
      ? {}
      : { 'Content-Length': `${fetched.length}` };
    const headers = { 'Content-Type': fetched.contentType, ...length, 'Cache-Control': IMMUTABLE };
    return new Response(fetched.body, { headers });
  }

  /** `npx edgeget upstream forget`: files first, then the claim, then this object's storage. */
  async forget(lowerId: string): Promise<{ bytes: number }> {
    this.forgetting = true;
    try {
      await Promise.allSettled([...this.downloads.values(), ...this.flights.values()]);
      const bytes = await deleteUpstreamBlobs(this.env.PACKAGES, lowerId);
      await forgetUpstreamPackage(this.env.DB, lowerId);
      await this.ctx.storage.deleteAll();
      return { bytes };
    } finally {
      this.forgetting = false;
    }
  }

  /** null when the id is served from the upstream (claiming it if need be); else what to answer instead. */
  private async upstreamStanding(lowerId: string): Promise<Local | Missing | Failure | null> {
    if (this.forgetting) return beingForgotten(lowerId);
    if (this.ctx.storage.kv.get<{ kind: string }>('standing')?.kind === 'upstream') return null;
    const versions = await this.versionsIndex(lowerId);
    return 'text' in versions ? null : versions;
  }

  /**
   * The stored document under `key` while younger than `ttl`; else one refresh for every caller,
   * and on failure the old copy if there is one. A Local answer is never stored.
   */
  private async cached(
    lowerId: string,
    key: string,
    ttl: number,
    fetchIt: (resources: UpstreamResources) => Promise<Stored | Local | Missing | Failure>,
  ): Promise<Answer> {
    const kv = this.ctx.storage.kv;
    const entry = kv.get<Entry>(key);
    if (entry && Date.now() - entry.at < ttl) return entry.document;
    return this.once(key, async () => {
      const fetched = await this.upstream(fetchIt);
      if (isFailure(fetched)) {
        if (!('refused' in fetched)) await this.failed(lowerId, fetched);
        return entry ? entry.document : fetched;
      }
      if (!('local' in fetched)) kv.put(key, { at: Date.now(), document: fetched } satisfies Entry);
      return fetched;
    });
  }

  /**
   * One upstream exchange of this id: the feed-wide instance's resources (or its breaker's
   * refusal), the request, and its outcome reported back to the breaker.
   */
  private async upstream<T>(
    work: (resources: UpstreamResources) => Promise<T | Failure>,
  ): Promise<T | Failure | (Failure & { refused: true })> {
    const feed = upstreamFeedOf(this.env);
    const resources = await feed.resources();
    if (isFailure(resources)) return resources;
    const outcome = await work(resources);
    this.ctx.waitUntil(feed.report(!isFailure(outcome) || outcome.failure === 'notFound'));
    return outcome;
  }

  /** FEED only: the upstream's resources from its service index, cached for the TTL; or the breaker's refusal. */
  async resources(): Promise<UpstreamResources | Failure | (Failure & { refused: true })> {
    const config = upstreamConfigOf(this.env);
    if (isFailure(config)) return config;
    const kv = this.ctx.storage.kv;
    const breaker = kv.get<Breaker>('breaker');
    const now = Date.now();
    if (breaker && breaker.openUntil > now) return { ...breakerRefusal(config, breaker), refused: true };
    const entry = kv.get<{ at: number; resources: UpstreamResources }>('resources');
    if (entry && now - entry.at < config.versionsTtlMs) return entry.resources;
    return this.once('resources', async () => {
      const fetched = await resourcesFetch(config);
      if (isFailure(fetched)) {
        await this.report(false);
        await this.failed('', fetched);
        return entry ? entry.resources : fetched;
      }
      kv.put('resources', { at: Date.now(), resources: fetched });
      return fetched;
    });
  }

  /** FEED only: an upstream request's outcome, for the breaker. */
  async report(ok: boolean): Promise<void> {
    const kv = this.ctx.storage.kv;
    const next = breakerAfter(kv.get<Breaker>('breaker'), ok, Date.now());
    if (next === null) kv.delete('breaker');
    else kv.put('breaker', next);
  }

  /** FEED only: the breaker's state, for `npx edgeget upstream status`. */
  async breaker(): Promise<Breaker | null> {
    return this.ctx.storage.kv.get<Breaker>('breaker') ?? null;
  }

  private async failed(lowerId: string, failure: Failure): Promise<Failure> {
    try {
      await recordUpstreamError(this.env.DB, { at: new Date().toISOString(), lowerId, message: failure.message });
    } catch (error) {
      console.error('upstream error not recorded', lowerId, error);
    }
    return failure;
  }
}

/** The id's cache, or null when the id may not go upstream here (no upstream, or a reserved id). */
export function upstreamCacheOf(
  env: Pick<Env, 'UPSTREAM'> & Parameters<typeof upstreamConfigOf>[0],
  lowerId: string,
): { cache: DurableObjectStub<UpstreamCache> } | Failure | null {
  const config = upstreamConfigOf(env);
  if (isFailure(config)) return config.failure === 'notFound' ? null : config;
  if (isReserved(config, lowerId)) return null;
  // Wrapped: a stub answers `in` for any name, so it would pass for a Failure (problems.ts isFailure).
  return { cache: upstreamCacheStub(env, lowerId) };
}

/** The id's instance, whatever its standing (`npx edgeget upstream forget` clears any). */
export function upstreamCacheStub(env: Pick<Env, 'UPSTREAM'>, lowerId: string): DurableObjectStub<UpstreamCache> {
  return env.UPSTREAM.get(env.UPSTREAM.idFromName(lowerId));
}

/** The feed-wide instance (service index, breaker). */
export function upstreamFeedOf(env: Pick<Env, 'UPSTREAM'>): DurableObjectStub<UpstreamCache> {
  return upstreamCacheStub(env, FEED);
}
