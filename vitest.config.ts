import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';

// `unit` runs pure protocol tests in Node; `worker` runs inside workerd with real (local) D1, R2 and KV; `client` runs in
// Node and drives the real `dotnet` CLI against the Worker served by wrangler dev.
export default defineConfig(async () => {
  const migrations = await readD1Migrations('migrations');
  return {
    test: {
      projects: [
        {
          plugins: [
            cloudflareTest({
              main: './src/index.ts',
              wrangler: { configPath: './wrangler.toml' },
              miniflare: {
                bindings: { TEST_MIGRATIONS: migrations, NUGET_API_KEY: 'test-api-key' },
              },
            }),
          ],
          test: {
            name: 'worker',
            include: ['test/**/*.test.ts'],
            exclude: ['test/client/**', 'test/cli/**', 'test/nuget/**', 'test/browser/**'],
            setupFiles: ['./test/support/applyMigrations.ts'],
          },
        },
        {
          // Pure protocol code (src/nuget) and NuGet's own test vectors (test/fixtures/conformance).
          test: { name: 'unit', include: ['test/nuget/**/*.test.ts'] },
        },
        {
          // The operator CLI (`npx edgeget`): help, errors, `npm run dev` ports, `deploy --dry-run`.
          test: { name: 'cli', include: ['test/cli/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000 },
        },
        {
          test: {
            name: 'client',
            include: ['test/client/**/*.test.ts'],
            testTimeout: 300_000,
            hookTimeout: 300_000,
            fileParallelism: false,
          },
        },
        {
          // The web gallery in headless Chromium (playwright-core) against `wrangler dev` with seeded packages.
          test: {
            name: 'browser',
            include: ['test/browser/**/*.test.ts'],
            testTimeout: 60_000,
            hookTimeout: 120_000,
            fileParallelism: false,
          },
        },
      ],
    },
  };
});
