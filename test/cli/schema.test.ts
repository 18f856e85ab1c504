/**
 * schema.sql is the schema after every migration (its header says so, and D1 reviews read it):
 * the migrations applied in order and schema.sql executed alone give the same tables and indexes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { freshState, wrangler } from '../../devkit/feed.mjs';

const SCHEMA =
  "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name <> 'd1_migrations' ORDER BY type, name";

async function schemaOf(persistTo: string): Promise<unknown[]> {
  const args = ['d1', 'execute', 'DB', '--local', '--persist-to', persistTo, '--json', '--command', SCHEMA];
  const { stdout } = await wrangler(args, { timeoutMs: 60_000 });
  const [result] = JSON.parse(stdout) as { results: { sql: string | null }[] }[];
  // ALTER TABLE keeps the original text and appends the column: compare without comments and white space.
  return (result?.results ?? []).map((row) => ({
    ...row,
    sql: row.sql?.replace(/--[^\n]*/g, '').replace(/\s+/g, ''),
  }));
}

it('schema.sql equals the migrations applied in order', async () => {
  const migrated = await freshState('schema-migrated');
  const direct = mkdtempSync(join(tmpdir(), 'edgeget-schema-direct-'));
  try {
    await wrangler(['d1', 'execute', 'DB', '--local', '--persist-to', direct, '--file', 'schema.sql', '--yes'], {
      timeoutMs: 60_000,
    });
    const fromMigrations = await schemaOf(migrated);
    expect(fromMigrations.length).toBeGreaterThan(5);
    expect(await schemaOf(direct)).toEqual(fromMigrations);
  } finally {
    rmSync(migrated, { recursive: true, force: true });
    rmSync(direct, { recursive: true, force: true });
  }
}, 180_000);
