/**
 * Builds tools/versioning-oracle (the reference NuGet.Versioning) in a temp copy, with its own
 * empty global packages folder so NuGet.Versioning is restored from the machine's configured
 * source, then runs it on a set of inputs.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildTool, describeRun, dotnet } from '../harness/dotnet';

export const ORACLE_SOURCE = join(dirname(fileURLToPath(import.meta.url)), '../../../tools/versioning-oracle');

export interface OracleInput {
  versions: string[];
  pairs: [string, string][];
  ranges: string[];
  /** Versions each parsed range is checked against; all must parse. */
  probes: string[];
}

export interface OracleVersion {
  input: string;
  parsed: {
    major: number;
    minor: number;
    patch: number;
    revision: number;
    release: string;
    metadata: string;
    originalVersion: string;
    normalized: string;
    full: string;
    toString: string;
    isPrerelease: boolean;
    isSemVer2: boolean;
  } | null;
  /** NuGetVersion.TryParseStrict → ToNormalizedString(), or null. */
  strict: string | null;
  /** SemanticVersion.TryParse → ToNormalizedString(), or null. */
  strictSemVer: string | null;
}

export interface OracleRange {
  input: string;
  parsed: {
    normalized: string;
    toString: string;
    prettyPrint: string;
    legacy: string;
    legacyShort: string;
    originalString: string;
    minToString: string | null;
    maxToString: string | null;
    isMinInclusive: boolean;
    isMaxInclusive: boolean;
    floatBehavior: string | null;
    /** One '1' or '0' per probe. */
    satisfies: string;
  } | null;
  /** TryParse(allowFloating: false) succeeded and the range does not float → its normalized string. */
  noFloat: string | null;
  /** FloatRange.TryParse → "Behavior ToString() MinVersion.ToNormalizedString()", or null. */
  floatRange: string | null;
}

export interface OracleOutput {
  versions: OracleVersion[];
  /** Sign of VersionComparer.Default.Compare, or null when either side does not parse. */
  pairs: (number | null)[];
  ranges: OracleRange[];
}

export interface Oracle {
  run(input: OracleInput): Promise<OracleOutput>;
  dispose(): void;
}

/** Fails (throws with dotnet's output) when the restore or the build fails: nothing is skipped. */
export async function buildOracle(): Promise<Oracle> {
  const { root, out, packages } = await buildTool(ORACLE_SOURCE, 'the NuGet.Versioning oracle');
  return {
    async run(input) {
      const file = join(root, `input-${Date.now()}.json`);
      writeFileSync(file, JSON.stringify(input));
      const result = await dotnet([join(out, 'VersioningOracle.dll'), file], { cwd: root, packages });
      if (result.code !== 0) throw new Error(`the oracle failed:\n${describeRun(result)}`);
      // The oracle's JSON escapes every non-ASCII character, so chunked stdout decodes safely.
      return JSON.parse(result.stdout) as OracleOutput;
    },
    dispose: () => rmSync(root, { recursive: true, force: true }),
  };
}
