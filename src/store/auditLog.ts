/**
 * The one author of SQL over audit_log: every change an operator makes through the admin API,
 * written in the same D1 batch as the change itself, so the log never claims a change that
 * rolled back nor misses one that committed.
 */

export interface AuditEntry {
  /** ISO 8601. */
  at: string;
  /** The key that made the change: `admin` for the feed's admin key. */
  actor: string;
  /** What was done, e.g. `deprecate`, `advisory.add`. */
  action: string;
  lowerId: string;
  /** What the change was, as JSON-able data (versions, reasons, advisory URL, ...). */
  detail: unknown;
}

export function auditStatement(db: D1Database, entry: AuditEntry): D1PreparedStatement {
  return db
    .prepare('INSERT INTO audit_log (at, actor, action, lower_id, detail) VALUES (?, ?, ?, ?, ?)')
    .bind(entry.at, entry.actor, entry.action, entry.lowerId, JSON.stringify(entry.detail));
}

/** The newest entries first, of one id or of the whole feed. */
export async function auditEntries(
  db: D1Database,
  options: { lowerId?: string; limit: number },
): Promise<AuditEntry[]> {
  const where = options.lowerId === undefined ? '' : 'WHERE lower_id = ?2';
  const { results } = await db
    .prepare(`SELECT at, actor, action, lower_id, detail FROM audit_log ${where} ORDER BY seq DESC LIMIT ?1`)
    .bind(...(options.lowerId === undefined ? [options.limit] : [options.limit, options.lowerId]))
    .all<{ at: string; actor: string; action: string; lower_id: string; detail: string }>();
  return results.map((row) => ({
    at: row.at,
    actor: row.actor,
    action: row.action,
    lowerId: row.lower_id,
    detail: JSON.parse(row.detail) as unknown,
  }));
}
