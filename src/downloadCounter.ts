/**
 * Download counts (search's `totalDownloads` and `versions[].downloads`, protocol §5.3), counted
 * off the request path. A .nupkg download hands one count to a Durable Object through
 * ctx.waitUntil and answers without waiting. The object adds the count to a tally in its memory
 * and writes no storage for it: each storage write is a commit, which per download would cost
 * more than the call itself. Its alarm saves the tally to its storage within SAVE_MS, and adds
 * what storage holds to D1 in one batch per FLUSH_INTERVAL_MS.
 *
 * Why a Durable Object: a count must survive the request that made it (an isolate's memory does
 * not, and module state is not allowed), and D1 has one writer, which one UPDATE per download
 * would keep busy. Counts are sharded by id over SHARDS objects: any number of downloads makes at
 * most SHARDS D1 batches per FLUSH_INTERVAL_MS, and no single object takes every download.
 *
 * Counts are approximate, as nuget.org's are: a flush whose D1 batch committed but whose answer
 * was lost counts twice; a count whose waitUntil the runtime cancelled is lost; and the counts an
 * object received in the last SAVE_MS are lost when it is evicted or reset (a deploy, a crash)
 * before its alarm saved them. Nothing else loses one: counts that arrive while a save or flush
 * runs wait in memory for the next alarm.
 */
import { DurableObject } from 'cloudflare:workers';
import { addDownloads, type VersionDownloads } from './store/packages';

const SHARDS = 16;
/** How long a count may stay in the object's memory alone: the most an eviction can lose. */
const SAVE_MS = 1_000;
const FLUSH_INTERVAL_MS = 30_000;
/** Versions per flush: 10 statements of addDownloads. More wait for the next flush. */
const MAX_FLUSH = 330;

/** Storage keys: ids and versions never contain '/' (protocol §10.1, §9.2). */
function countKey(lowerId: string, lowerVersion: string): string {
  return `${lowerId}/${lowerVersion}`;
}

function versionOf(key: string): { lowerId: string; lowerVersion: string } {
  const [lowerId = '', lowerVersion = ''] = key.split('/');
  return { lowerId, lowerVersion };
}

/**
 * The bindings a counter uses: only D1 (a narrower type than Env, which names this class). Its
 * storage is SQLite-backed (wrangler.toml), so the synchronous `storage.kv` reads and writes the
 * same keys as the asynchronous API, without a round trip.
 */
export class DownloadCounter extends DurableObject<{ DB: D1Database }> {
  /** Downloads not yet in storage, by countKey. */
  private readonly unsaved = new Map<string, number>();
  /**
   * The alarm this instance set, null when none. A new instance may inherit its predecessor's:
   * replacing that one loses nothing, since a new instance flushes at its first alarm.
   */
  private alarmAt: number | null = null;
  /** When storage's counts are due in D1: Infinity when it holds none, 0 when a new instance does not know. */
  private flushAt = 0;

  /** One download. Synchronous: no other call runs in between, and nothing waits on storage. */
  count(lowerId: string, lowerVersion: string): void {
    const key = countKey(lowerId, lowerVersion);
    this.unsaved.set(key, (this.unsaved.get(key) ?? 0) + 1);
    this.schedule(Date.now() + SAVE_MS);
  }

  /** Saves the tally, and adds storage's counts to D1 when due (an alarm that finds no tally is the flush's). */
  override async alarm(): Promise<void> {
    // The alarm that fired is gone; one set from here on, even by count() meanwhile, stays set.
    this.alarmAt = null;
    const due = this.unsaved.size === 0 || Date.now() >= this.flushAt;
    this.save();
    if (due) await this.flush();
    this.schedule(this.unsaved.size > 0 ? Math.min(Date.now() + SAVE_MS, this.flushAt) : this.flushAt);
  }

  /** Sets the alarm for `at` unless it is set sooner. */
  private schedule(at: number): void {
    if (at === Infinity || (this.alarmAt !== null && this.alarmAt <= at)) return;
    this.alarmAt = at;
    void this.ctx.storage.setAlarm(at);
  }

  private save(): void {
    const kv = this.ctx.storage.kv;
    for (const [key, downloads] of this.unsaved) kv.put(key, (kv.get<number>(key) ?? 0) + downloads);
    if (this.unsaved.size > 0 && this.flushAt === Infinity) this.flushAt = Date.now() + FLUSH_INTERVAL_MS;
    this.unsaved.clear();
  }

  /**
   * One D1 batch of storage's counts, then each stored count less what the batch added (the
   * runtime runs one alarm at a time, so nothing else saves meanwhile; if it did, its counts stay).
   * A failed batch keeps them all for the next flush: D1 may be briefly unavailable.
   */
  private async flush(): Promise<void> {
    const kv = this.ctx.storage.kv;
    const sent = [...kv.list<number>({ limit: MAX_FLUSH })];
    if (sent.length === 0) {
      this.flushAt = Infinity;
      return;
    }
    const counts = sent.map(([key, downloads]): VersionDownloads => ({ ...versionOf(key), downloads }));
    try {
      await addDownloads(this.env.DB, counts);
    } catch (error) {
      console.error('download counts not flushed, kept for the next flush', error);
      this.flushAt = Date.now() + FLUSH_INTERVAL_MS;
      return;
    }
    let kept = sent.length === MAX_FLUSH;
    for (const [key, downloads] of sent) {
      const left = (kv.get<number>(key) ?? 0) - downloads;
      if (left > 0) kv.put(key, left);
      else kv.delete(key);
      kept ||= left > 0;
    }
    this.flushAt = kept ? Date.now() + FLUSH_INTERVAL_MS : Infinity;
  }
}

/** FNV-1a: a stable spread of ids over the shards. */
function shardOf(lowerId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < lowerId.length; i++) hash = Math.imul(hash ^ lowerId.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % SHARDS;
}

/** The object that counts an id's downloads. */
export function downloadCounterOf(
  namespace: DurableObjectNamespace<DownloadCounter>,
  lowerId: string,
): DurableObjectStub<DownloadCounter> {
  return namespace.get(namespace.idFromName(`shard-${shardOf(lowerId)}`));
}

/** Counts one download; meant for ctx.waitUntil, so it never fails the request it follows. */
export async function countDownload(
  namespace: DurableObjectNamespace<DownloadCounter>,
  lowerId: string,
  lowerVersion: string,
): Promise<void> {
  try {
    await downloadCounterOf(namespace, lowerId).count(lowerId, lowerVersion);
  } catch (error) {
    console.error('download not counted', lowerId, lowerVersion, error);
  }
}

/**
 * Whether a response delivers a download: the whole file, or a range from its first byte. A
 * range further in resumes a download already counted; HEAD, 304 and errors deliver none.
 */
export function isDownload(request: Request, response: Response): boolean {
  if (request.method !== 'GET') return false;
  return (
    response.status === 200 ||
    (response.status === 206 && /^bytes 0-/.test(response.headers.get('Content-Range') ?? ''))
  );
}
