/**
 * Fills the main bench feed: every .nupkg under /opt/nuget/packages (real, signed packages from
 * nuget.org: the closure of an xunit test project) plus a few generated packages for search.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildNupkg, push } from './lib/nupkg.mjs';
import { fixed, printTable } from './lib/table.mjs';

export const REAL_FOLDER = process.env.EDGEGET_REAL_PACKAGES ?? '/opt/nuget/packages';

/** [{ file, lowerId, version, bytes }] of a global-packages-style folder (id/version/file.nupkg). */
export function realPackages(folder = REAL_FOLDER) {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.nupkg'))
    .sort()
    .map((path) => {
      const [lowerId, version] = path.split('/');
      const file = join(folder, path);
      return { file, lowerId, version, bytes: readFileSync(file).length };
    });
}

const WORDS = ['json', 'logging', 'http', 'testing', 'xml', 'cache', 'queue', 'crypto', 'parser', 'client'];

export async function seedFeed(origin, { generated = 40 } = {}) {
  const real = realPackages();
  const results = [];
  for (const pkg of real) {
    const result = await push(origin, readFileSync(pkg.file));
    results.push({ ...result, name: `${pkg.lowerId} ${pkg.version}`, bytes: pkg.bytes });
  }
  for (let i = 0; i < generated; i++) {
    const id = `Bench.Search.${WORDS[i % WORDS.length]}.P${i}`;
    const bytes = buildNupkg({
      id,
      version: '1.0.0',
      description: `A ${WORDS[(i * 3) % WORDS.length]} library for the bench.`,
      metadata: `<tags>${WORDS[(i * 7) % WORDS.length]}</tags>`,
    });
    results.push({ ...(await push(origin, bytes)), name: id, bytes: bytes.length });
  }
  const failed = results.filter((r) => r.status !== 201);
  const ms = results.map((r) => r.ms).sort((a, b) => a - b);
  printTable(
    'Seed pushes (main feed)',
    ['packages', 'pushed (201)', 'failed', 'total s', 'median ms', 'max ms'],
    [
      {
        packages: results.length,
        'pushed (201)': results.length - failed.length,
        failed: failed.length,
        'total s': fixed(ms.reduce((a, b) => a + b, 0) / 1000, 1),
        'median ms': fixed(ms[Math.floor(ms.length / 2)] ?? NaN, 0),
        'max ms': fixed(ms.at(-1) ?? NaN, 0),
      },
    ],
  );
  for (const f of failed.slice(0, 5)) console.log(`  push of ${f.name} answered ${f.status}: ${f.warning}`);
  return { real, results, ok: failed.length === 0 };
}
