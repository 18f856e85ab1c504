/**
 * Bounded, seeded end-to-end fuzzing of PUT /api/v2/package/: valid pushes damaged in the zip
 * bytes, the nuspec text or the multipart envelope. Every answer is 201, 400, 409 or 413, never
 * a 500, and a refused push leaves R2, D1 and KV exactly as they were. test/nuget/packageFuzz
 * covers the pure parser; this covers the whole path (streaming multipart, R2 ranged reads,
 * inflate, commit).
 */
import { env, exports } from 'cloudflare:workers';
import { strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { buildNupkg, FEED, multipartBody, nuspecXml, TEST_API_KEY } from './support/nupkg';
import { seededRandom as prng } from '../devkit/random.mjs';
import { PACKAGE_TABLES } from './support/feedView';

const RUNS = 150;
const SEED = 0x5eed;

interface Random {
  int(n: number): number;
  pick<T>(items: readonly T[]): T;
}

function randomOf(seed: number): Random {
  const next = prng(seed);
  return { int: (n) => Math.floor(next() * n), pick: (items) => items[Math.floor(next() * items.length)]! };
}

/** XML and version syntax that parsers trip on, spliced into nuspec text. */
const NUSPEC_TOKENS = [
  '<',
  '>',
  '&',
  '&amp;',
  '&#0;',
  '&#xD800;',
  '<!--',
  '-->',
  '<![CDATA[',
  ']]>',
  '"',
  "'",
  '\u0000',
  '\uffff',
  '\ud800',
  '😀',
  '<version>',
  '</version>',
  '</metadata>',
  '<metadata>',
  '<!DOCTYPE p>',
  'xmlns="urn:x"',
  '<?xml?>',
  '<dependencies><group targetFramework="net8.0"><dependency id="A" version="[1.0,"/></group></dependencies>',
  '<packageTypes><packageType name="" /></packageTypes>',
  '<readme>../R.md</readme>',
  '<icon>i.png</icon>',
  '<license type="expression">MIT OR</license>',
  '1.0.0-',
  '..',
  '+',
  '9999999999999999999999.0',
];

function splice(bytes: Uint8Array, at: number, remove: number, insert: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length - Math.min(remove, bytes.length - at) + insert.length);
  out.set(bytes.subarray(0, at));
  out.set(insert, at);
  out.set(bytes.subarray(at + remove), at + insert.length);
  return out;
}

function randomBytes(r: Random, length: number): Uint8Array {
  return Uint8Array.from({ length }, () => r.int(256));
}

/** Damage in the archive: flipped bytes anywhere or in the central directory, cuts, insertions. */
function mutateZip(r: Random, zip: Uint8Array): Uint8Array {
  const bytes = zip.slice();
  switch (r.int(4)) {
    case 0:
      for (let n = 1 + r.int(8); n > 0; n--) bytes[r.int(bytes.length)] = r.int(256);
      return bytes;
    case 1: // The end of the archive: central directory and end record.
      for (let n = 1 + r.int(4); n > 0; n--) bytes[bytes.length - 1 - r.int(Math.min(200, bytes.length))] = r.int(256);
      return bytes;
    case 2:
      return bytes.slice(0, r.int(bytes.length));
    default:
      return splice(bytes, r.int(bytes.length), r.int(16), randomBytes(r, r.int(64)));
  }
}

/** Damage in the nuspec text, inside an otherwise valid package. */
function mutateNuspec(r: Random, text: string): string {
  const at = r.int(text.length);
  switch (r.int(3)) {
    case 0:
      return text.slice(0, at) + text.slice(at + 1 + r.int(40));
    case 1:
      return text.slice(0, at) + text.slice(at, at + r.int(60)) + text.slice(at);
    default:
      return text.slice(0, at) + r.pick(NUSPEC_TOKENS) + text.slice(at);
  }
}

/** A push request; the envelope damaged in its bytes or its Content-Type when `envelope`. */
function pushOf(r: Random, nupkg: Uint8Array, envelope: boolean): Request {
  const boundary = 'fuzz-boundary-7d3c1e5a';
  let { body, contentType } = multipartBody(nupkg, boundary);
  if (envelope) {
    const head = 120;
    switch (r.int(4)) {
      case 0: // The part's delimiter and headers.
        for (let n = 1 + r.int(4); n > 0; n--) body[r.int(head)] = r.int(256);
        break;
      case 1: // The closing delimiter.
        body = body.slice(0, body.length - r.int(boundary.length + 8));
        break;
      case 2:
        contentType = r.pick([
          'multipart/form-data',
          `multipart/form-data; boundary="${boundary}`,
          'multipart/form-data; boundary=""',
          `multipart/mixed; boundary=${boundary}`,
          `multipart/form-data; boundary=${boundary.slice(0, 10)}`,
          `multipart/form-data; boundary=${'x'.repeat(300)}`,
          'application/octet-stream',
          `MULTIPART/FORM-DATA; BOUNDARY=${boundary}`,
        ]);
        break;
      default:
        body = splice(body, r.int(body.length), 0, strToU8(`\r\n--${boundary}${r.pick(['', '--', '\r\n\r\n'])}`));
    }
  }
  return new Request(`${FEED}/api/v2/package/`, {
    method: 'PUT',
    headers: { 'Content-Type': contentType, 'X-NuGet-ApiKey': TEST_API_KEY },
    body,
  });
}

/** Everything a push can leave behind: every R2 key, the D1 tables' row counts, every KV key. */
async function trace(): Promise<unknown> {
  const counts: Record<string, unknown> = {};
  for (const table of PACKAGE_TABLES) {
    counts[table] = (await env.DB.prepare(`SELECT count(*) AS n FROM ${table}`).first<{ n: number }>())?.n;
  }
  return {
    blobs: (await env.PACKAGES.list()).objects.map((o) => o.key),
    counts,
    pages: (await env.PAGES.list()).keys.map((k) => k.name),
  };
}

describe('fuzzed pushes', () => {
  it(`answer 201, 400, 409 or 413 and never 500, over ${RUNS} seeded runs`, async () => {
    const seen = new Map<number, number>();
    const accepted: Uint8Array[] = [];
    let before = await trace();
    for (let run = 0; run < RUNS; run++) {
      const r = randomOf(SEED + run);
      const version = `1.${run}.0`;
      const metadata = '<readme>README.md</readme><tags>fuzz</tags>';
      const files = { 'README.md': '# Fuzz', 'lib/net8.0/Fuzz.dll': randomBytes(r, 200) };
      const kind = run % 3;
      let nupkg: Uint8Array;
      if (run % 10 === 9 && accepted.length > 0) {
        // An accepted package again, byte for byte: a duplicate (409) that must change nothing.
        nupkg = r.pick(accepted);
      } else if (kind === 1) {
        const nuspec = mutateNuspec(r, nuspecXml({ id: 'Fuzz.Package', version, metadata }));
        nupkg = buildNupkg({ id: 'Fuzz.Package', version, nuspec, nuspecName: 'Fuzz.Package.nuspec', files });
      } else {
        nupkg = buildNupkg({ id: 'Fuzz.Package', version, metadata, files });
        if (kind === 0) nupkg = mutateZip(r, nupkg);
      }
      const response = await exports.default.fetch(pushOf(r, nupkg, kind === 2 && run % 10 !== 9));
      const where = `run ${run} (seed ${SEED + run}): ${response.status} ${response.statusText}`;
      expect([201, 400, 409, 413], where).toContain(response.status);
      seen.set(response.status, (seen.get(response.status) ?? 0) + 1);
      if (response.status === 201) accepted.push(nupkg);
      const after = await trace();
      if (response.status !== 201) expect(after, where).toEqual(before);
      before = after;
    }
    // The mutations must both damage and spare: a fuzz that only ever fails (or passes) tests little.
    expect(seen.get(400)).toBeGreaterThan(RUNS / 4);
    expect(seen.get(201)).toBeGreaterThan(10);
    expect(seen.get(409)).toBeGreaterThanOrEqual(10);
  }, 120_000);
});
