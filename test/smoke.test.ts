import { env } from 'cloudflare:workers';
import { expect, it } from 'vitest';

it('has the schema applied', async () => {
  const row = await env.DB.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'package_versions'").first<{
    n: number;
  }>();
  expect(row?.n).toBe(1);
});
