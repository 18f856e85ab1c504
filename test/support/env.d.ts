// Types `env` from 'cloudflare:workers' in tests: the Worker's bindings plus the migrations
// the pool hands to applyMigrations.ts.
type EdgeGetEnv = import('../../src/env').Env;
type EdgeGetMigrations = import('cloudflare:test').D1Migration[];
declare namespace Cloudflare {
  interface Env extends EdgeGetEnv {
    TEST_MIGRATIONS: EdgeGetMigrations;
  }
  // Types `exports.default` from 'cloudflare:workers' as the Worker's own default export.
  interface GlobalProps {
    mainModule: typeof import('../../src/index');
  }
}
