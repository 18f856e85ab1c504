/**
 * The files inside a package, checked as nuget.org checks the container (protocol §10.3) and, for symbol
 * packages, §2.6. Works on the central directory listing only; reading entry bytes is the caller's.
 */
import { fail, type Failure } from '../problems';
import type { ZipEntry } from './zipEntry';

export interface PackageEntries {
  /** The one .nuspec at the package root. */
  nuspec: ZipEntry;
  entries: readonly ZipEntry[];
}

function entryNameProblem(name: string): string | null {
  if (name === '' || name.includes('\0')) return 'has an empty or invalid name';
  if (name.includes('\\')) return "uses '\\' in its path; package paths use '/'";
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return 'has an absolute path';
  if (name.includes('//')) return "has '//' in its path";
  if (name.split('/').includes('..')) return 'has a path that escapes the package root';
  return null;
}

const isRootNuspec = (name: string): boolean => !name.includes('/') && name.toLowerCase().endsWith('.nuspec');

/**
 * Checks every entry name and finds the manifest. A .nuspec in a subfolder is an ordinary file: NuGet reads
 * only the root one (protocol §10.3 "exactly one .nuspec at the zip root").
 */
export function packageEntries(entries: readonly ZipEntry[]): PackageEntries | Failure {
  const seen = new Set<string>();
  for (const entry of entries) {
    const problem = entryNameProblem(entry.name);
    if (problem !== null) return fail('badRequest', `The package entry '${entry.name}' ${problem}.`);
    const key = entry.name.toLowerCase();
    if (seen.has(key)) return fail('badRequest', `The package contains '${entry.name}' more than once.`);
    seen.add(key);
  }
  const nuspecs = entries.filter((entry) => isRootNuspec(entry.name));
  const [nuspec] = nuspecs;
  if (nuspec === undefined) return fail('badRequest', 'The package contains no .nuspec file at its root.');
  if (nuspecs.length > 1) return fail('badRequest', 'The package contains more than one .nuspec file at its root.');
  return { nuspec, entries };
}

/** Older packers escaped entry names as URIs (System.IO.Packaging); NuGet unescapes them before comparing. */
function unescaped(name: string): string {
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

/**
 * The entry a nuspec path names (<readme>, <icon>, <license type="file">). Nuspec paths may use '\' or '/'
 * and a leading separator, and NuGet matches them case-insensitively.
 */
export function findPackageFile(pkg: PackageEntries, nuspecPath: string): ZipEntry | null {
  const wanted = nuspecPath.trim().replace(/\\/g, '/').replace(/^\/+/, '').toLowerCase();
  if (wanted === '' || wanted.endsWith('/')) return null;
  return (
    pkg.entries.find((entry) => {
      const name = entry.name.toLowerCase();
      return name === wanted || unescaped(name) === wanted;
    }) ?? null
  );
}

/** §2.6: the only file types nuget.org accepts in a .snupkg (plus the OPC [Content_Types].xml, an .xml). */
const SYMBOL_PACKAGE_EXTENSIONS = ['.pdb', '.nuspec', '.xml', '.psmdcp', '.rels', '.p7s'];

/**
 * The .pdb files a symbol push may hold: each is one ranged read when the package is in R2
 * (docs/platform.md §6), and a subrequest budget is per request. A multi-targeted library has tens.
 */
export const MAX_SYMBOL_PDBS = 500;

function extensionOf(name: string): string {
  const file = name.slice(name.lastIndexOf('/') + 1);
  const dot = file.lastIndexOf('.');
  return dot < 0 ? '' : file.slice(dot).toLowerCase();
}

/**
 * §2.6 container rules for a symbol package. Returns its .pdb entries, each of which the caller must show to
 * be a Portable PDB by reading its first PORTABLE_PDB_SIGNATURE.length bytes into isPortablePdb.
 */
export function symbolPackagePdbs(pkg: PackageEntries): ZipEntry[] | Failure {
  const pdbs: ZipEntry[] = [];
  if (pkg.entries.filter((entry) => extensionOf(entry.name) === '.pdb').length > MAX_SYMBOL_PDBS) {
    return fail('badRequest', `The symbol package has more than ${MAX_SYMBOL_PDBS} .pdb files.`);
  }
  for (const entry of pkg.entries) {
    if (entry.name.endsWith('/')) continue;
    const extension = extensionOf(entry.name);
    if (!SYMBOL_PACKAGE_EXTENSIONS.includes(extension)) {
      return fail(
        'badRequest',
        `The symbol package contains '${entry.name}', which is not an allowed file type (${SYMBOL_PACKAGE_EXTENSIONS.join(', ')}).`,
      );
    }
    if (extension === '.pdb') pdbs.push(entry);
  }
  return pdbs;
}

/** ECMA-335 §II.24.2.1 metadata root signature "BSJB", which starts every Portable PDB; Windows PDBs start "Microsoft C/C++ MSF". */
export const PORTABLE_PDB_SIGNATURE: readonly number[] = Object.freeze([0x42, 0x53, 0x4a, 0x42]);

export function isPortablePdb(firstBytes: Uint8Array): boolean {
  return PORTABLE_PDB_SIGNATURE.every((byte, i) => firstBytes[i] === byte);
}

/** The message for a .pdb that is not portable; nuget.org accepts only Portable PDBs (§2.6). */
export function notPortablePdb(entry: ZipEntry): Failure {
  return fail(
    'badRequest',
    `The symbol package file '${entry.name}' is not a Portable PDB; only Portable PDBs are accepted.`,
  );
}
