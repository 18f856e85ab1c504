/**
 * Bounded, seeded fuzzing of the package read path: mutated archives and nuspecs must always come back as a
 * value or a Failure, never as a thrown error, and the zip reader must never read outside the archive.
 */
import { strToU8, Zip, ZipDeflate } from 'fflate';
import { describe, expect, it } from 'vitest';
import { isFailure } from '../../src/problems';
import { MAX_NUSPEC_BYTES, parseManifest } from '../../src/nuget/nuspec';
import { packageEntries, symbolPackagePdbs } from '../../src/nuget/packageEntries';
import { listZipEntries, readZipEntry, type ReadRange } from '../../src/nuget/zip';
import { buildNupkg, nuspecXml } from '../support/nupkg';
import { craftZip } from './craftZip';
import { seededRandom as prng } from '../../devkit/random.mjs';

const RUNS = 300;

/** `byte()` is a random byte: any of 256 for archives, ASCII for nuspecs (so most runs get past UTF-8 decoding). */
type Mutation = (
  b: Uint8Array,
  at: number,
  pick: (n: number) => number,
  tokens: Uint8Array[],
  byte: () => number,
) => Uint8Array;

/** Weighted towards damage that keeps the archive's tail, so runs get past the end record. */
const MUTATIONS: Mutation[] = [
  (b, at, _pick, _tokens, byte) => {
    if (at < b.length) b[at] = byte();
    return b;
  },
  (b, at, _pick, _tokens, byte) => {
    if (at < b.length) b[at] = byte();
    return b;
  },
  (b, at, pick) => b.fill(pick(2) ? 0xff : 0, at, at + 1 + pick(8)),
  (b, at, _pick, _tokens, byte) => b.fill(byte(), at, at + 4),
  (b, at, pick, tokens) => {
    const token = tokens[pick(tokens.length)]!;
    const out = new Uint8Array(b.length + token.length);
    out.set(b.subarray(0, at));
    out.set(token, at);
    out.set(b.subarray(at), at + token.length);
    return out;
  },
  (b, at, pick, tokens) => {
    const token = tokens[pick(tokens.length)]!;
    b.set(token.subarray(0, Math.max(0, b.length - at)), Math.min(at, b.length));
    return b;
  },
  (b, at) => b.slice(0, at),
  (b, at) => b.slice(Math.min(at, 64)),
];

function mutate(input: Uint8Array, random: () => number, tokens: Uint8Array[], byteRange = 256): Uint8Array {
  const pick = (n: number) => Math.floor(random() * n);
  const byte = () => pick(byteRange);
  let bytes: Uint8Array = input.slice();
  const steps = 1 + pick(4);
  for (let step = 0; step < steps; step++) {
    bytes = MUTATIONS[pick(MUTATIONS.length)]!(bytes, pick(bytes.length + 1), pick, tokens, byte);
  }
  return bytes;
}

function strictReader(bytes: Uint8Array): ReadRange {
  return async (offset, length) => {
    if (!(offset >= 0 && length >= 0 && offset + length <= bytes.length)) {
      throw new Error(`read outside the archive: ${offset}+${length} of ${bytes.length}`);
    }
    return bytes.slice(offset, offset + length);
  };
}

async function readEverything(bytes: Uint8Array): Promise<string> {
  const read = strictReader(bytes);
  const entries = await listZipEntries(read, bytes.length);
  if (isFailure(entries)) return entries.message;
  for (const entry of entries.slice(0, 20)) {
    const content = await readZipEntry(read, entry, MAX_NUSPEC_BYTES);
    if (!isFailure(content)) expect(content.length).toBe(entry.uncompressedSize);
  }
  const files = packageEntries(entries);
  if (isFailure(files)) return files.message;
  symbolPackagePdbs(files);
  const nuspec = await readZipEntry(read, files.nuspec, MAX_NUSPEC_BYTES);
  if (isFailure(nuspec)) return nuspec.message;
  const manifest = parseManifest(nuspec);
  return isFailure(manifest) ? manifest.message : manifest.id;
}

function streamedZip(): Uint8Array {
  const chunks: Uint8Array[] = [];
  const zip = new Zip((_error, chunk) => chunks.push(chunk));
  const file = new ZipDeflate('Streamed.nuspec');
  zip.add(file);
  file.push(strToU8(nuspecXml({ id: 'Streamed', version: '1.0.0' })), true);
  zip.end();
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

const richMetadata = `<tags>a b</tags><license type="expression">MIT</license><readme>README.md</readme>
<dependencies><group targetFramework="net8.0"><dependency id="Dep.One" version="[1.0, 2.0)" /></group>
<group><dependency id="Dep.Two" version="3.0.0-beta.1" /></group></dependencies>
<packageTypes><packageType name="Dependency" /></packageTypes>`;

describe('fuzzing the package read path', () => {
  const archives = [
    buildNupkg({ id: 'Fuzz.Package', version: '1.2.3', metadata: richMetadata, files: { 'README.md': '# fuzz' } }),
    craftZip(
      [
        { name: 'Z.nuspec', content: nuspecXml({ id: 'Z', version: '1.0.0' }) },
        { name: 'a.pdb', content: 'BSJB', method: 0 },
      ],
      { zip64: true },
    ),
    craftZip([{ name: 'D.nuspec', content: nuspecXml({ id: 'D', version: '1.0.0' }), dataDescriptor: true }]),
    streamedZip(),
  ];
  const zipTokens = [
    [0x50, 0x4b, 0x05, 0x06],
    [0x50, 0x4b, 0x06, 0x06],
    [0x50, 0x4b, 0x06, 0x07],
    [0x50, 0x4b, 0x01, 0x02],
    [0x50, 0x4b, 0x03, 0x04],
    [0xff, 0xff, 0xff, 0xff],
    [0x01, 0x00, 0x18, 0x00],
  ].map((t) => Uint8Array.from(t));

  it(`never throws on ${RUNS} mutated archives`, async () => {
    for (const archive of archives) expect(await readEverything(archive)).not.toMatch(/ /);
    const random = prng(0x5eed);
    for (let run = 0; run < RUNS; run++) {
      const input = mutate(archives[run % archives.length]!, random, zipTokens);
      await expect(readEverything(input), `run ${run}`).resolves.toEqual(expect.any(String));
    }
  });

  it(`never throws on ${RUNS} mutated nuspecs`, () => {
    const nuspec = strToU8(nuspecXml({ id: 'Fuzz.Nuspec', version: '1.0.0-rc.1+abc', metadata: richMetadata }));
    expect(isFailure(parseManifest(nuspec))).toBe(false);
    const xmlTokens = [
      '<',
      '>',
      '&',
      '&amp;',
      '&#x0;',
      '&#169;',
      '"',
      '</metadata>',
      '<id>',
      '<!DOCTYPE x>',
      ']]>',
      '<![CDATA[',
      '<?xml?>',
      '<group>',
      '<dependency id="x" version="*"/>',
      'xmlns:a="b"',
      '\u0000',
      '\uFEFF',
      '\uD800',
      '<__proto__/>',
      '<constructor>',
      ' version="1.*"',
      ' targetFramework="net8.0"',
      '1.0.0',
      '-beta.1',
      '+meta',
      '(,',
      ',)',
      '[1.0]',
      ' ',
      'true',
      '<title>t</title>',
      '<license type="file">L.txt</license>',
      '<group/>',
      '<packageType name="SymbolsPackage"/>',
      '<icon>i.gif</icon>',
      'ü',
    ].map((t) => strToU8(t));
    const random = prng(0xface);
    for (let run = 0; run < RUNS; run++) {
      const input = mutate(nuspec, random, xmlTokens, 128);
      let outcome: unknown;
      expect(() => (outcome = parseManifest(input)), `run ${run}`).not.toThrow();
      expect(isFailure(outcome) || (typeof outcome === 'object' && outcome !== null && 'id' in outcome)).toBe(true);
    }
  });
});
