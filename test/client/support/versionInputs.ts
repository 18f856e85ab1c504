/**
 * Inputs for the versioning differential test: seeded, so every run feeds the oracle the same
 * strings. Versions, comparison pairs, ranges and the probe versions every range is checked
 * against, generated around the edges of NuGet's grammar; the conformance vectors are added by
 * conformanceInputs.ts.
 */

import { seededRandom } from '../../../devkit/random.mjs';

export class Gen {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = seededRandom(seed);
  }
  int(max: number): number {
    return Math.floor(this.next() * max);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }
  many(count: number, make: () => string): string[] {
    return Array.from({ length: count }, make);
  }
}

/** Whitespace .NET and JavaScript disagree on (NEL, BOM, NBSP, …) next to the plain ones. */
const SPACES = [' ', '  ', '\t', '\n', '\r\n', '\u00a0', '\u0085', '\ufeff', '\u2028', '\u3000', '\u200b', '\0'];
/** Characters neither a number nor an identifier may hold, ASCII and not. */
// biome-ignore format: value lists read as tables
const GARBAGE = [
  '^', '_', '!', '*', '#', '/', ',', ' ', '~', '=',
  // é, ß, dotted I, Kelvin sign, Arabic-Indic three, fullwidth one, combining acute, an emoji, long s
  '\u00e9', '\u00df', '\u0130', '\u212a', '\u0663', '\uff11', '\u0301', '\u{1f600}', '\u017f',
];
// biome-ignore format: value lists read as tables
const NUMBERS = [
  '0', '1', '2', '9', '10', '42', '99', '100', '65535', '65536', '2147483647', '2147483648', '4294967296', '99999999999',
];
// biome-ignore format: value lists read as tables
const WORDS = [
  'alpha', 'Alpha', 'BETA', 'beta', 'rc', 'RC', 'pre', 'a', 'z', 'Z', 'x-y', '-', '--', 'a-', '-a', 'b2', '2b', 'dev-01',
];
/** Labels whose relative order is subtle: numbers (signed too), case, hyphens, Int32 overflow. */
// biome-ignore format: value lists read as tables
const ORDERED = ['0', '1', '2', '9', '10', '-1', '-5', '-05', '-0', 'a', 'A', 'b', 'B', '-', '--', '-a', 'a-', 'aa', 'Aa',
  '2147483647', '2147483648', '-2147483648', '-2147483649', '1a', 'a1', 'rc', 'RC', 'rc1', 'rc-1', 'z', 'Z'];
/** Labels that int.TryParse reads as negative numbers, in and out of Int32 range. */
const SIGNED = ['-0', '-1', '-5', '-05', '-00', '-2147483648', '-2147483649', '--1'];

export function numberPart(g: Gen): string {
  const roll = g.int(10);
  if (roll < 5) return String(g.int(12));
  if (roll < 7) return '0'.repeat(1 + g.int(3)) + String(g.int(30));
  return g.pick(NUMBERS);
}

function core(g: Gen, parts: number): string {
  return g.many(parts, () => numberPart(g)).join('.');
}

export function label(g: Gen): string {
  const roll = g.int(12);
  if (roll < 3) return g.pick(WORDS);
  if (roll < 5) return numberPart(g);
  if (roll < 6) return `${g.pick(WORDS)}${g.int(20)}`;
  if (roll < 7) return g.chance(0.5) ? '' : g.pick(SIGNED);
  if (roll < 8) return g.pick(WORDS) + g.pick(GARBAGE);
  return g.pick(['alpha', 'beta', 'rc', '0', '1', '2', '11', 'a', 'A', 'ab', 'Ab', 'aB']);
}

function metadata(g: Gen): string {
  const part = () => (g.chance(0.85) ? g.pick([...WORDS, ...NUMBERS, '0001', 'sha-abc']) : g.pick(['', ...GARBAGE]));
  return g.many(1 + g.int(3), part).join('.');
}

/** A version that is usually well formed, with labels and metadata some of the time. */
export function plainVersion(g: Gen): string {
  let text = core(g, 1 + g.int(4));
  if (g.chance(0.5)) text += `-${g.many(1 + g.int(g.chance(0.2) ? 6 : 3), () => label(g)).join('.')}`;
  if (g.chance(0.25)) text += `+${metadata(g)}`;
  return text;
}

/** Damages a string: a stray character, a cut, a doubled separator, or padding. */
export function mangle(g: Gen, text: string): string {
  let at = g.int(text.length + 1);
  // Never split a surrogate pair: .NET cannot read a lone surrogate from JSON.
  if (/[\udc00-\udfff]/.test(text[at] ?? '')) at -= 1;
  switch (g.int(7)) {
    case 0:
      return text.slice(0, at) + g.pick(GARBAGE) + text.slice(at);
    case 1:
      return text.slice(0, at);
    case 2:
      return text.slice(0, at) + g.pick(['.', '-', '+', '..', '-.', '.-', '+.']) + text.slice(at);
    case 3:
      return `${g.pick(SPACES)}${text}${g.pick(SPACES)}`;
    case 4:
      return text.replace(/\./, ` ${g.pick(['.', '. ', ' .'])}`);
    case 5:
      return g.pick(SPACES) + text;
    default:
      return text + g.pick([...SPACES, ...GARBAGE]);
  }
}

export function generatedVersions(g: Gen, count: number): string[] {
  return g.many(count, () => {
    const text = plainVersion(g);
    return g.chance(0.3) ? mangle(g, text) : text;
  });
}

/**
 * Pairs that are likely to be close: the same core with different labels, case or metadata, so
 * ties and label ordering are exercised, not just the major part.
 */
export function generatedPairs(g: Gen, count: number): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i < count; i++) {
    let a = plainVersion(g);
    const roll = g.int(6);
    let b: string;
    if (roll === 5) {
      // The same core and labels that differ in one place: every label kind against every other.
      const core = a.split(/[-+]/)[0];
      const rest = g.chance(0.5) ? '' : `.${label(g)}`;
      a = `${core}-${g.pick(ORDERED)}${rest}`;
      b = `${core}-${g.pick(ORDERED)}${g.chance(0.8) ? rest : ''}`;
    } else if (roll === 0) b = plainVersion(g);
    else if (roll === 1) b = a.toUpperCase();
    else if (roll === 2) b = a.replace(/\+.*$/, '') + (g.chance(0.5) ? `+${metadata(g)}` : '');
    else if (roll === 3) b = `${a.split(/[-+]/)[0]}-${g.many(1 + g.int(3), () => label(g)).join('.')}`;
    else b = `${a.split(/[-+]/)[0]}.0`;
    pairs.push(g.chance(0.5) ? [a, b] : [b, a]);
  }
  return pairs;
}

/** Lower bounds that float, valid or not. */
// biome-ignore format: value lists read as tables
const FLOATS = [
  '*', '*-*', '1.*', '1.0.*', '1.0.0.*', '1.0.0.0.*', '1.0.*-*', '1.*-*', '1.0.0.*-*', '1.0.0-*', '1.0.0-beta*',
  '1.0.0-beta.*', '1.0.*-beta', '1.0.*-beta*', '1.0.*-beta.*', '*-rc.*', '*-rc*', '*-', '**', '1.**', '1.*.0',
  '*.1', '1.0.0-*-*', '1.0.0-be*ta', '1.0.0+*', '1.0.0-beta+*', '01.*', '1.2147483648.*', '-*', '1.*-', ' 1.* ',
  '1. *', '1.0.*-BETA.1.*', '*-*-*', '1.0.0-beta.01*', '1.0.0-0*', '1.0.*-0*', '1*', '1.0*', '10*', '1.0.0-a-*',
  '1.0.0-a-.*', '1.0.0-a.-*', '*-rc', '1.*-', '1.0.0.0.*-*', '1.0.0.0.0*', '*.*', '1.0.*-a*b*', '1.*-*+a', '1.0.0--*',
];

function bound(g: Gen): string {
  const roll = g.int(10);
  if (roll < 6) return plainVersion(g);
  if (roll < 8) return g.pick(FLOATS);
  if (roll < 9) return mangle(g, plainVersion(g));
  return '';
}

function pad(g: Gen, text: string): string {
  return g.chance(0.2) ? `${g.pick(SPACES)}${text}${g.pick(SPACES)}` : text;
}

export function generatedRanges(g: Gen, count: number): string[] {
  return g.many(count, () => {
    const roll = g.int(10);
    if (roll < 2) return pad(g, bound(g));
    const open = g.pick(['[', '[', '(', '(', '', '{']);
    const close = g.pick([']', ']', ')', ')', '', '}']);
    if (roll < 3) return `${open}${pad(g, bound(g))}${close}`;
    const comma = g.pick([',', ',', ', ', ' , ', ',,', ';']);
    const body = `${pad(g, bound(g))}${comma}${pad(g, g.chance(0.85) ? plainVersion(g) : bound(g))}`;
    const text = `${open}${body}${close}`;
    return g.chance(0.1) ? mangle(g, text) : pad(g, text);
  });
}

/** Versions every parsed range is tested against with Satisfies (all must parse). */
export const PROBES = [
  '0.0.0-0',
  '0.0.0',
  '0.1.0',
  '1.0.0-0',
  '1.0.0-alpha',
  '1.0.0-ALPHA.1',
  '1.0.0-beta',
  '1.0.0-beta.2',
  '1.0.0-rc.1',
  '1.0.0',
  '1.0.0+build',
  '1.0.0.1',
  '1.0.1-beta',
  '1.0.1',
  '1.1.0',
  '1.9.9',
  '2.0.0-0',
  '2.0.0-rc',
  '2.0.0',
  '2.0.0.0',
  '2.0.0+meta',
  '2.0.1',
  '3.0.0',
  '9.0.0',
  '10.0.0',
  '11.0.0-beta',
  '42.0.0',
  '100.0.0',
  '2147483647.0.0',
  '2147483647.2147483647.2147483647.2147483647',
];
