import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';

// Two projects: `worker` runs inside workerd with real (local) D1, R2 and KV; `client` runs in
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
            exclude: ['test/client/**'],
            setupFiles: ['./test/support/applyMigrations.ts'],
          },
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
      ],
    },
  };
});
