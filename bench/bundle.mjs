/** Section "bundle": `wrangler deploy --dry-run --outdir <tmp>`, then the main module raw and gzipped. */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { kb, printTable } from './lib/table.mjs';
import { wrangler } from './lib/worker.mjs';

export async function benchBundle() {
  const outdir = mkdtempSync(join(tmpdir(), 'edgeget-bench-bundle-'));
  try {
    const { stdout } = await wrangler(['deploy', '--dry-run', '--outdir', outdir]);
    const reported = /Total Upload: ([\d.]+ KiB) \/ gzip: ([\d.]+ KiB)/.exec(stdout);
    const modules = readdirSync(outdir).filter((name) => /\.(m?js|wasm)$/.test(name));
    const rows = modules.map((name) => {
      const bytes = readFileSync(join(outdir, name));
      return { module: name, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
    });
    const total = rows.reduce((sum, r) => ({ raw: sum.raw + r.raw, gzip: sum.gzip + r.gzip }), { raw: 0, gzip: 0 });
    printTable(
      'Worker bundle (wrangler deploy --dry-run, minify as configured)',
      ['module', 'raw', 'gzip -9'],
      [
        ...rows.map((r) => ({ module: r.module, raw: kb(r.raw), 'gzip -9': kb(r.gzip) })),
        ...(reported ? [{ module: 'wrangler reports', raw: reported[1], 'gzip -9': reported[2] }] : []),
      ],
    );
    return { gzipBytes: total.gzip, rawBytes: total.raw };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
