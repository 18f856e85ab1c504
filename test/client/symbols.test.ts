/**
 * The symbol server with the real toolchain: libraries packed by `dotnet pack` with their PDBs in
 * a .snupkg or in the .nupkg itself, pushed by `dotnet nuget push`, then found the way a debugger
 * finds them: tools/symbol-client reads the DLL's CodeView entry, derives the SSQP key, downloads
 * the PDB and checks that its id and checksum are the ones the DLL names.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeRun, hasDotnet } from './harness/dotnet';
import { writeLibrary } from './harness/projects';
import { push, useClientFeed, type ClientContext } from './harness/suite';
import { buildSymbolClient, type SymbolClient } from './support/symbolClient';

const VERSION = '1.0.0';
/** A package from nuget.org in the machine's offline folder that ships its Portable PDBs beside its DLLs. */
const COVERLET = join(
  process.env.EDGEGET_REAL_PACKAGES ?? '/opt/nuget/packages',
  'coverlet.collector/6.0.4/coverlet.collector.6.0.4.nupkg',
);

/**
 * Packs a library with extra MSBuild properties, on the command line and in a Directory.Build.props
 * beside the project; returns the folder the packages were written to.
 */
async function packLibrary(
  ctx: ClientContext,
  id: string,
  props: string[],
  projectProps: Record<string, string> = {},
): Promise<string> {
  const root = dirname(ctx.packer.out);
  const dir = join(root, 'symbols', id);
  const project = writeLibrary(dir, { id, version: VERSION });
  const properties = Object.entries(projectProps).map(([name, value]) => `<${name}>${value}</${name}>`);
  writeFileSync(
    join(dir, 'Directory.Build.props'),
    `<Project><PropertyGroup>${properties.join('')}</PropertyGroup></Project>\n`,
  );
  const out = join(dir, 'out');
  const packed = await ctx.ws.run(['pack', project, '-c', 'Release', '-o', out, '--disable-build-servers', ...props], {
    cwd: dir,
    packages: join(root, 'nuget-packages'),
  });
  expect(packed.code, describeRun(packed)).toBe(0);
  return out;
}

function entry(zipPath: string, name: string): Uint8Array {
  const bytes = unzipSync(readFileSync(zipPath), { filter: (file) => file.name === name })[name];
  if (!bytes) throw new Error(`${zipPath} has no ${name}`);
  return bytes;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe.skipIf(!hasDotnet)('symbol server, real toolchain', () => {
  const ctx = useClientFeed('symbols');
  let client: SymbolClient;
  beforeAll(async () => {
    client = await buildSymbolClient();
  });
  afterAll(() => client?.dispose());

  /** `fileName`: the PDB's name, lower-cased, as the key names it. */
  async function expectDebuggerFinds(dll: Uint8Array, pdb: Uint8Array, dir: string, fileName: string) {
    const dllPath = join(dir, 'probe.dll');
    writeFileSync(dllPath, dll);
    const found = await client.lookup(dllPath, `${ctx.feed.origin}/download/symbols`);
    expect(found.key).toMatch(new RegExp(`^${fileName}/[0-9a-f]{32}FFFFFFFF/${fileName}$`.replaceAll('.', '\\.')));
    expect(found.symbolChecksum).toMatch(/^SHA256:[0-9a-f]{64}$/);
    expect(found.status).toBe(200);
    expect(found.idMatches).toBe(true);
    expect(found.checksumMatches).toBe(true);
    expect(found.sha256).toBe(sha256(pdb));
    expect(found.probes).toEqual({
      upperGuidLowerAge: 200,
      ageOne: 200,
      noChecksum: 200,
      wrongChecksum: 404,
      unknownGuid: 404,
      compressedProbe: 404,
    });
  }

  it('serves the PDB of a .snupkg that dotnet nuget push sent after its .nupkg', async () => {
    const id = 'EdgeGet.Client.Snupkg';
    const out = await packLibrary(ctx, id, ['-p:IncludeSymbols=true', '-p:SymbolPackageFormat=snupkg']);
    const [nupkg, snupkg] = [join(out, `${id}.${VERSION}.nupkg`), join(out, `${id}.${VERSION}.snupkg`)];
    const pushed = await push(ctx, nupkg);
    expect(pushed.code, describeRun(pushed)).toBe(0);
    expect(pushed.output).toContain(`${id}.${VERSION}.snupkg`);
    const dll = entry(nupkg, `lib/net10.0/${id}.dll`);
    await expectDebuggerFinds(dll, entry(snupkg, `lib/net10.0/${id}.pdb`), out, `${id.toLowerCase()}.pdb`);
    // The .snupkg itself, beside the .nupkg in the flat container.
    const lower = id.toLowerCase();
    const whole = await fetch(`${ctx.feed.origin}/v3/flat/${lower}/${VERSION}/${lower}.${VERSION}.snupkg`);
    expect(whole.status).toBe(200);
    expect(sha256(new Uint8Array(await whole.arrayBuffer()))).toBe(sha256(readFileSync(snupkg)));
  });

  it('serves a portable PDB packed in the .nupkg beside its DLL', async () => {
    const id = 'EdgeGet.Client.Inpackage';
    const out = await packLibrary(ctx, id, ['-p:DebugType=portable'], {
      // The pack targets put only these build outputs in lib/ (by default no .pdb); a list cannot be given with -p.
      AllowedOutputExtensionsInPackageBuildOutputFolder: '.dll;.pdb',
    });
    const nupkg = join(out, `${id}.${VERSION}.nupkg`);
    const pushed = await push(ctx, nupkg);
    expect(pushed.code, describeRun(pushed)).toBe(0);
    expect(pushed.output).not.toMatch(/not indexed/);
    const [dll, pdb] = [`${id}.dll`, `${id}.pdb`].map((file) => entry(nupkg, `lib/net10.0/${file}`));
    await expectDebuggerFinds(dll!, pdb!, out, `${id.toLowerCase()}.pdb`);
  });

  it.skipIf(!existsSync(COVERLET))(
    'serves the PDBs of a package from nuget.org that ships them beside its DLLs',
    async () => {
      const pushed = await push(ctx, COVERLET);
      expect(pushed.code, describeRun(pushed)).toBe(0);
      expect(pushed.output).not.toMatch(/not indexed/);
      for (const name of ['coverlet.collector', 'coverlet.core']) {
        const [dll, pdb] = [`build/netstandard2.0/${name}.dll`, `build/netstandard2.0/${name}.pdb`].map((file) =>
          entry(COVERLET, file),
        );
        await expectDebuggerFinds(dll!, pdb!, ctx.ws.dir('coverlet'), `${name}.pdb`);
      }
    },
  );
});
