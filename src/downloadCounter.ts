/**
 * Download counts (search's `totalDownloads` and `versions[].downloads`, protocol §5.3), counted
 * off the request path. A .nupkg download hands one count to a Durable Object through
 * ctx.waitUntil and answers without waiting; the object keeps the counts in its own storage and
 * adds them to D1 in one batch per flush, from an alarm.
 *
 * Why a Durable Object: a count must survive the request that made it (an isolate's memory does
 * not, and module state is not allowed), and D1 has one writer, which one UPDATE per download
 * would keep busy. Counts are sharded by id over SHARDS objects: any number of downloads makes at
 * most SHARDS D1 batches per FLUSH_INTERVAL_MS, and no single object takes every download.
 *
 * Counts are approximate, as nuget.org's are: a flush whose D1 batch committed but whose answer
 * was lost is retried by the alarm and counts twice; a count whose waitUntil the runtime cancelled
 * is lost.
 */
import { DurableObject } from 'cloudflare:workers';
import { addDownloads, type VersionDownloads } from './store/packages';

const SHARDS = 16;
const FLUSH_INTERVAL_MS = 30_000;
/** Versions per flush: 10 statements of addDownloads. More wait for the next alarm. */
const MAX_FLUSH = 330;

/** Storage keys: ids and versions never contain '/' (protocol §10.1, §9.2). */
function countKey(lowerId: string, lowerVersion: string): string {
  return `${lowerId}/${lowerVersion}`;
}

function versionOf(key: string): { lowerId: string; lowerVersion: string } {
  const [lowerId = '', lowerVersion = ''] = key.split('/');
  return { lowerId, lowerVersion };
}

/** The bindings a counter uses: only D1 (a narrower type than Env, which names this class). */
export class DownloadCounter extends DurableObject<{ DB: D1Database }> {
  /** One download. Storage calls without other I/O between them run without interleaving (input gates). */
  async count(lowerId: string, lowerVersion: string): Promise<void> {
    const storage = this.ctx.storage;
    const key = countKey(lowerId, lowerVersion);
    await storage.put(key, ((await storage.get<number>(key)) ?? 0) + 1);
    if ((await storage.getAlarm()) === null) await storage.setAlarm(Date.now() + FLUSH_INTERVAL_MS);
  }

  /** Adds the pending counts to D1. A throw leaves them in place; the runtime retries the alarm. */
  override async alarm(): Promise<void> {
    const storage = this.ctx.storage;
    const pending = await storage.list<number>({ limit: MAX_FLUSH });
    if (pending.size === 0) return;
    const counts: VersionDownloads[] = [...pending].map(([key, downloads]) => ({ ...versionOf(key), downloads }));
    await addDownloads(this.env.DB, counts);
    // Downloads counted while D1 was being written stay for the next flush.
    const now = await storage.get<number>([...pending.keys()]);
    const flushed: string[] = [];
    const remaining: Record<string, number> = {};
    for (const [key, downloads] of pending) {
      const left = (now.get(key) ?? 0) - downloads;
      if (left > 0) remaining[key] = left;
      else flushed.push(key);
    }
    await Promise.all([storage.delete(flushed), storage.put(remaining)]);
    const more = Object.keys(remaining).length > 0 || (await storage.list({ limit: 1 })).size > 0;
    if (more) await storage.setAlarm(Date.now() + FLUSH_INTERVAL_MS);
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
