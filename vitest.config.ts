import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';

// `unit` runs pure protocol tests in Node; `worker` runs inside workerd with real (local) D1, R2 and KV; `client` runs in
// Node and drives the real `dotnet` CLI against the Worker served by wrangler dev.
export default defineConfig(async () => {
  const migrations = await readD1Migrations('migrations');
  return {
    test: {
      // Two files at a time, from any project, on CI's two cores: the Node-side suites (client, CLI, browser) spend much
      // of their time waiting on dotnet, wrangler dev and Chromium. Every file starts its own feed, workspace, NuGet
      // caches and HOME, so any two can run side by side. (A project with fileParallelism off would instead be run
      // alone, one file at a time, after all the others.)
      maxWorkers: 2,
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
            // A guard against a hung test, not a speed check: with two files at a time on two cores, a test that
            // pushes a hundred versions can take several times its quiet-machine time.
            testTimeout: 60_000,
          },
        },
        {
          // Pure protocol code (src/nuget) and NuGet's own test vectors (test/fixtures/conformance).
          test: { name: 'unit', include: ['test/nuget/**/*.test.ts'], testTimeout: 60_000 },
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
          },
        },
        {
          // The web gallery in headless Chromium (playwright-core) against `wrangler dev` with seeded packages.
          test: {
            name: 'browser',
            include: ['test/browser/**/*.test.ts'],
            testTimeout: 60_000,
            hookTimeout: 120_000,
          },
        },
      ],
    },
  };
});
