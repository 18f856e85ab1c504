/**
 * Builds tools/symbol-client (a debugger's symbol lookup with System.Reflection.Metadata) in a
 * temp copy, and runs it on a DLL against a symbol server.
 */
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildTool, describeRun, dotnet } from '../harness/dotnet';

const SOURCE = join(dirname(fileURLToPath(import.meta.url)), '../../../tools/symbol-client');

/** The tool's report (tools/symbol-client/README.md). */
export interface SymbolLookup {
  key: string;
  symbolChecksum: string;
  status: number;
  bytes: number;
  sha256: string;
  idMatches: boolean | null;
  checksumMatches: boolean | null;
  probes: Record<
    'upperGuidLowerAge' | 'ageOne' | 'noChecksum' | 'wrongChecksum' | 'unknownGuid' | 'compressedProbe',
    number
  >;
}

export interface SymbolClient {
  lookup(dll: string, server: string, password?: string): Promise<SymbolLookup>;
  dispose(): void;
}

/** Fails (throws with dotnet's output) when the build fails: nothing is skipped. */
export async function buildSymbolClient(): Promise<SymbolClient> {
  const { root, out, packages } = await buildTool(SOURCE, 'the symbol client');
  return {
    async lookup(dll, server, password) {
      const args = [join(out, 'SymbolClient.dll'), dll, server, ...(password === undefined ? [] : [password])];
      const result = await dotnet(args, { cwd: root, packages });
      if (result.code !== 0) throw new Error(`the symbol client failed:\n${describeRun(result)}`);
      return JSON.parse(result.stdout) as SymbolLookup;
    },
    dispose: () => rmSync(root, { recursive: true, force: true }),
  };
}
