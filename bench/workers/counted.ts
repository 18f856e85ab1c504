/**
 * Bench only: EdgeGet's Worker with its storage bindings counted, to price a request by what
 * Cloudflare bills per operation (bench/cost.mjs). Every call on env.PAGES (KV) and env.PACKAGES
 * (R2) is tallied by method, every D1 statement run (first/all/run/raw, each one of a batch, exec)
 * is tallied, D1's own meta.rows_read / rows_written are summed (rows read also per statement),
 * and every RPC call on an env.DOWNLOADS stub is tallied (a billed Durable Object request).
 * GET /__bench/counts answers the tallies since the previous such request and starts over.
 *
 * The generated entry (bench/lib/countedWorker.mjs) imports the measured checkout's src/index.ts
 * and wraps its default export with countingWorker. The DownloadCounter objects' own storage and their
 * D1 flush (one batch per shard per 30 s, from an alarm, with the object's env) are not counted.
 * Tallies are module state: this Worker runs alone under wrangler dev, in one isolate.
 */
import type { Env } from '../../src/env';

export const COUNTS_PATH = '/__bench/counts';

interface Tallies {
  requests: number;
  /** 'KV.get', 'R2.put', 'D1.statement', 'D1.batch', ... → calls. */
  calls: Record<string, number>;
  d1RowsRead: number;
  d1RowsWritten: number;
  /** D1 rows read by statement (its SQL, whitespace collapsed, cut at 120 characters): what grows. */
  rowsReadBySql: Record<string, number>;
}

const fresh = (): Tallies => ({ requests: 0, calls: {}, d1RowsRead: 0, d1RowsWritten: 0, rowsReadBySql: {} });
let tallies = fresh();

function tally(name: string, times = 1): void {
  tallies.calls[name] = (tallies.calls[name] ?? 0) + times;
}

function addMeta(sql: string, result: { meta?: Partial<D1Meta> } | null | undefined): void {
  const read = result?.meta?.rows_read ?? 0;
  tallies.d1RowsRead += read;
  tallies.d1RowsWritten += result?.meta?.rows_written ?? 0;
  const key = sql.replace(/\s+/g, ' ').trim().slice(0, 120);
  tallies.rowsReadBySql[key] = (tallies.rowsReadBySql[key] ?? 0) + read;
}

/** Counts each method call as `{label}.{method}`; `wrap` may wrap what a call returns (multipart uploads). */
function counting<T extends object>(label: string, target: T, wrap: (method: string, value: unknown) => unknown) {
  return new Proxy(target, {
    get(object, property) {
      const value = Reflect.get(object, property);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        tally(`${label}.${String(property)}`);
        return wrap(String(property), value.apply(object, args));
      };
    },
  });
}

const unwrapped = (_method: string, value: unknown) => value;

/** R2: a multipart upload's uploadPart/complete/abort are calls on the object create/resume return. */
function countingUpload(method: string, value: unknown): unknown {
  const upload = (u: R2MultipartUpload) => counting('R2', u, unwrapped);
  if (method === 'createMultipartUpload') return (value as Promise<R2MultipartUpload>).then(upload);
  if (method === 'resumeMultipartUpload') return upload(value as R2MultipartUpload);
  return value;
}

/** A statement that tallies its runs; batch() hands the real one to D1, which expects its own objects. */
class CountedStatement {
  constructor(
    readonly real: D1PreparedStatement,
    readonly sql: string,
  ) {}

  bind(...values: unknown[]): CountedStatement {
    return new CountedStatement(this.real.bind(...values), this.sql);
  }

  async all<T>(): Promise<D1Result<T>> {
    tally('D1.statement');
    const result = await this.real.all<T>();
    addMeta(this.sql, result);
    return result;
  }

  async run<T>(): Promise<D1Result<T>> {
    tally('D1.statement');
    const result = await this.real.run<T>();
    addMeta(this.sql, result);
    return result;
  }

  /** D1's first() runs the whole statement too and keeps row 0; all() has the meta, first() not. */
  async first<T>(column?: string): Promise<T | null> {
    const row = (await this.all<Record<string, unknown>>()).results[0];
    if (row === undefined) return null;
    return (column === undefined ? row : row[column]) as T;
  }

  /** Rows unknown (raw() returns no meta); EdgeGet does not use it. */
  raw<T>(options?: { columnNames?: boolean }): Promise<T[]> {
    tally('D1.statement');
    return this.real.raw<T>(options as { columnNames?: false });
  }
}

function countingD1(db: D1Database): D1Database {
  const counted = {
    prepare: (sql: string) => new CountedStatement(db.prepare(sql), sql),
    async batch(statements: CountedStatement[]) {
      tally('D1.batch');
      tally('D1.statement', statements.length);
      const results = await db.batch(statements.map((s) => (s instanceof CountedStatement ? s.real : s)));
      for (const [i, result] of results.entries()) addMeta(statements[i]?.sql ?? '(batch)', result);
      return results;
    },
    async exec(sql: string) {
      tally('D1.exec');
      return db.exec(sql);
    },
  };
  return new Proxy(db, {
    get: (object, property) => Reflect.get(property in counted ? counted : object, property),
  });
}

/** Durable Objects: the calls on the stubs get() returns; the namespace's own methods cost nothing. */
function countingNamespace<T extends object>(namespace: T): T {
  return new Proxy(namespace, {
    get(object, property) {
      const value = Reflect.get(object, property);
      if (typeof value !== 'function') return value;
      if (property !== 'get') return value.bind(object);
      return (...args: unknown[]) => counting('DO', value.apply(object, args), unwrapped);
    },
  });
}

function countedEnv(env: Env): Env {
  return {
    ...env,
    DB: countingD1(env.DB),
    PAGES: counting('KV', env.PAGES, unwrapped),
    PACKAGES: counting('R2', env.PACKAGES, countingUpload),
    DOWNLOADS: countingNamespace(env.DOWNLOADS),
  };
}

function takeCounts(): Response {
  const taken = tallies;
  tallies = fresh();
  return Response.json(taken);
}

export function countingWorker(app: ExportedHandler<Env>): ExportedHandler<Env> {
  return {
    fetch(request, env, ctx) {
      if (new URL(request.url).pathname === COUNTS_PATH) return takeCounts();
      tallies.requests++;
      if (!app.fetch) throw new Error('the app has no fetch handler');
      return app.fetch(request, countedEnv(env), ctx);
    },
    scheduled(controller, env, ctx) {
      return app.scheduled?.(controller, countedEnv(env), ctx);
    },
  };
}
