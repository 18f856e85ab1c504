/** `npx edgeget deploy --dry-run`: the deploy bundle builds from wrangler.toml as committed, and its size is reported. */
import { expect, it } from 'vitest';
import { edgeget } from '../client/harness/cli';

it('builds the Worker bundle with every binding, reports its size and what a deploy would do', async () => {
  const result = await edgeget(['deploy', '--dry-run']);
  expect(result.code, result.stderr).toBe(0);
  for (const binding of ['env.DB (edgeget)', 'env.PACKAGES (edgeget-packages)', 'env.PAGES', 'env.DOWNLOADS']) {
    expect(result.stdout).toContain(binding);
  }
  const size = /Worker bundle: (\d+) KB, (\d+) KB gzipped\./.exec(result.stdout);
  expect(size, result.stdout).not.toBeNull();
  expect(Number(size![2])).toBeGreaterThan(10);
  expect(Number(size![2])).toBeLessThan(Number(size![1]));
  expect(result.stdout).toContain('A deploy would: find or create the D1 database "edgeget"');
}, 120_000);
