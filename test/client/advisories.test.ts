/**
 * Vulnerabilities and deprecations as SDK 10's NuGet reads them from the feed: restore's NuGetAudit
 * (VulnerabilityInfo) prints NU1901-NU1904, `dotnet list package --vulnerable|--deprecated` reads
 * registration, `dotnet package update --vulnerable` picks the lowest fixed version, and an OSV
 * document imported with `edgeget vulnerability import` reaches restore. Every `ws.run` has a fresh
 * http cache; a restore after a feed change needs --force, or it replays obj/'s old warnings.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { edgeget } from './harness/cli';
import { type DotnetResult, describeRun, hasDotnet } from './harness/dotnet';
import { writeConsumer } from './harness/projects';
import { push, useClientFeed } from './harness/suite';

const VULN = 'EdgeGet.Client.Vuln';
const USES = 'EdgeGet.Client.Uses';
const LEGACY = 'EdgeGet.Client.Legacy';
const MODERN = 'EdgeGet.Client.Modern';
const MODERATE = 'EdgeGet.Client.Moderate';
const CRITICAL = 'EdgeGet.Client.Critical';
const advisory = (name: string) => `https://advisories.example.org/edgeget/${name}`;

/**
 * What each direct reference of the main consumer is affected by, and the warning restore gives; the
 * admin API reads a bare version as exactly it (not NuGet's "at least").
 */
const ADVISORIES = [
  { id: LEGACY, versions: '1.0.0', severity: 'low', code: 'NU1901', url: advisory('legacy-low') },
  { id: MODERATE, versions: '1.0.0', severity: 'moderate', code: 'NU1902', url: advisory('moderate') },
  { id: VULN, versions: '[1.0.0, 1.1.0)', severity: 'high', code: 'NU1903', url: advisory('vuln-high') },
  { id: CRITICAL, versions: '*', severity: 'critical', code: 'NU1904', url: advisory('critical') },
] as const;
const DISPLAY = { low: 'Low', moderate: 'Moderate', high: 'High', critical: 'Critical' } as const;

const GHSA = 'GHSA-7v2c-f9gq-m4xw';
const GHSA_URL = `https://github.com/advisories/${GHSA}`;

interface Vulnerability {
  severity: string;
  advisoryurl: string;
}
interface ListedPackage {
  id: string;
  requestedVersion?: string;
  resolvedVersion: string;
  vulnerabilities?: Vulnerability[];
  deprecationReasons?: string[];
  alternativePackage?: { id: string; versionRange: string };
}
interface ListReport {
  projects: { frameworks?: { topLevelPackages?: ListedPackage[]; transitivePackages?: ListedPackage[] }[] }[];
}

const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Restore's NuGetAudit line for one advisory, as a warning or (warnings as errors) an error. */
const auditLine = (level: 'warning' | 'error', code: string, id: string, version: string, sev: string, url: string) =>
  new RegExp(
    `${level} ${code}: ${level === 'error' ? 'Warning As Error: ' : ''}Package '${literal(id)}' ${literal(version)} ` +
      `has a known ${sev} severity vulnerability, ${literal(url)}`,
  );

describe.skipIf(!hasDotnet)('advisories and deprecations in dotnet restore, list package and package update', () => {
  const ctx = useClientFeed('advisories');
  let direct = '';

  async function admin(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${ctx.feed.origin}${path}`, {
      method,
      headers: { 'X-NuGet-ApiKey': ctx.feed.apiKey, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    expect(response.status, `${method} ${path} ${JSON.stringify(body) ?? ''} → ${response.status} ${text}`).toBe(200);
    return JSON.parse(text);
  }

  const restore = (project: string, extra: string[] = []) =>
    ctx.ws.run(['restore', ...extra], { cwd: project, packages: join(project, 'packages') });

  async function list(project: string, flags: string[]): Promise<{ result: DotnetResult; report: ListReport }> {
    const args = ['list', 'package', ...flags, '--format', 'json', '--output-version', '1'];
    const result = await ctx.ws.run(args, { cwd: project, packages: join(project, 'packages') });
    expect(result.code, describeRun(result)).toBe(0);
    return { result, report: JSON.parse(result.stdout) as ListReport };
  }
  const packagesOf = (report: ListReport, kind: 'topLevelPackages' | 'transitivePackages') =>
    report.projects.flatMap((p) => p.frameworks ?? []).flatMap((f) => f[kind] ?? []);

  it('pushes the packages, records four advisories, and restore prints NU1901 to NU1904', async () => {
    await ctx.packer.pack({ id: VULN, version: '1.0.0' }, ['1.1.0', '2.0.0']);
    for (const [id, version] of [
      [LEGACY, '1.0.0'],
      [MODERN, '2.0.0'],
      [MODERATE, '1.0.0'],
      [CRITICAL, '1.0.0'],
    ] as const) {
      await ctx.packer.variant(VULN, { id, version });
    }
    await ctx.packer.pack({ id: USES, version: '1.0.0', dependencies: [{ id: VULN, version: '[1.0.0]' }] });
    const pushed = await push(ctx, join(ctx.packer.out, 'EdgeGet.Client.*.nupkg'));
    expect(pushed.code, describeRun(pushed)).toBe(0);
    for (const { id, versions, severity, url } of ADVISORIES) {
      expect(await admin('PUT', '/admin/advisories', { id, versions, severity, url })).toMatchObject({
        outcome: 'added',
      });
    }

    direct = ctx.ws.dir('direct');
    writeConsumer(direct, [
      { id: VULN, version: '1.0.0' },
      { id: LEGACY, version: '1.0.0' },
      { id: MODERATE, version: '1.0.0' },
      { id: CRITICAL, version: '1.0.0' },
    ]);
    const result = await restore(direct);
    expect(result.code, describeRun(result)).toBe(0);
    for (const { id, severity, code, url } of ADVISORIES) {
      expect(result.output, describeRun(result)).toMatch(auditLine('warning', code, id, '1.0.0', severity, url));
    }
  });

  it('fails restore with warnings as errors', async () => {
    const result = await restore(direct, ['-p:TreatWarningsAsErrors=true']);
    expect(result.code, describeRun(result)).not.toBe(0);
    for (const { id, severity, code, url } of ADVISORIES) {
      expect(result.output, describeRun(result)).toMatch(auditLine('error', code, id, '1.0.0', severity, url));
    }
  });

  it('lists each direct advisory with its severity and URL in list package --vulnerable', async () => {
    const { result, report } = await list(direct, ['--vulnerable']);
    const listed = Object.fromEntries(packagesOf(report, 'topLevelPackages').map((p) => [p.id, p.vulnerabilities]));
    const expected = Object.fromEntries(
      ADVISORIES.map((a) => [a.id, [{ severity: DISPLAY[a.severity], advisoryurl: a.url }]]),
    );
    expect(listed, describeRun(result)).toEqual(expected);
  });

  it('reports the transitive advisory in restore and in list package --include-transitive', async () => {
    const transitive = ctx.ws.dir('transitive');
    writeConsumer(transitive, [{ id: USES, version: '1.0.0' }]);
    const result = await restore(transitive);
    expect(result.code, describeRun(result)).toBe(0);
    // net10.0 audits transitive packages too (NuGetAuditMode all).
    expect(result.output, describeRun(result)).toMatch(
      auditLine('warning', 'NU1903', VULN, '1.0.0', 'high', advisory('vuln-high')),
    );
    const { result: listed, report } = await list(transitive, ['--vulnerable', '--include-transitive']);
    expect(packagesOf(report, 'topLevelPackages'), describeRun(listed)).toEqual([]);
    expect(packagesOf(report, 'transitivePackages'), describeRun(listed)).toEqual([
      expect.objectContaining({
        id: VULN,
        resolvedVersion: '1.0.0',
        vulnerabilities: [{ severity: 'High', advisoryurl: advisory('vuln-high') }],
      }),
    ]);
  });

  it('lists the reasons and the alternative in list package --deprecated', async () => {
    await admin('POST', '/admin/deprecations', {
      id: LEGACY,
      versions: '1.0.0',
      reasons: ['legacy', 'critical-bugs'],
      message: 'Use EdgeGet.Client.Modern instead.',
      alternatePackage: { id: MODERN, range: '[2.0.0, )' },
    });
    const { result, report } = await list(direct, ['--deprecated']);
    expect(packagesOf(report, 'topLevelPackages'), describeRun(result)).toEqual([
      expect.objectContaining({
        id: LEGACY,
        resolvedVersion: '1.0.0',
        deprecationReasons: ['Legacy', 'CriticalBugs'],
        alternativePackage: { id: MODERN, versionRange: '>= 2.0.0' },
      }),
    ]);
  });

  it('moves the vulnerable reference to the lowest fixed version with package update --vulnerable', async () => {
    const result = await ctx.ws.run(['package', 'update', '--vulnerable'], {
      cwd: direct,
      packages: join(direct, 'packages'),
    });
    expect(result.code, describeRun(result)).toBe(0);
    expect(result.output, describeRun(result)).toMatch(
      new RegExp(`Updating ${literal(VULN)} 1\\.0\\.0 to 1\\.1\\.0\\.`),
    );
    const csproj = readFileSync(join(direct, 'Consumer.csproj'), 'utf8');
    expect(csproj, describeRun(result)).toContain(`<PackageReference Include="${VULN}" Version="1.1.0" />`);
    const { result: listed, report } = await list(direct, ['--vulnerable']);
    const ids = packagesOf(report, 'topLevelPackages').map((p) => p.id);
    expect(ids, describeRun(listed)).not.toContain(VULN);
    expect(ids, describeRun(listed)).toContain(CRITICAL);
  });

  it('drops the warning once the advisory is removed', async () => {
    const removed = ADVISORIES[0];
    const query = new URLSearchParams({ id: removed.id, url: removed.url });
    expect(await admin('DELETE', `/admin/advisories?${query}`)).toMatchObject({ outcome: 'removed' });
    const result = await restore(direct, ['--force']);
    expect(result.code, describeRun(result)).toBe(0);
    expect(result.output, describeRun(result)).not.toContain(removed.code);
    expect(result.output, describeRun(result)).not.toContain(removed.url);
    const kept = ADVISORIES[3];
    expect(result.output, describeRun(result)).toMatch(
      auditLine('warning', kept.code, kept.id, '1.0.0', kept.severity, kept.url),
    );
    // Registration (what list reads) drops it too.
    const { result: listed, report } = await list(direct, ['--vulnerable']);
    expect(
      packagesOf(report, 'topLevelPackages').map((p) => p.id),
      describeRun(listed),
    ).toEqual([CRITICAL, MODERATE]);
  });

  it('imports a GitHub advisory (OSV) with edgeget vulnerability import, which restore then reports', async () => {
    const osv = {
      schema_version: '1.4.0',
      id: GHSA,
      modified: '2025-01-15T10:00:00Z',
      published: '2025-01-14T09:00:00Z',
      aliases: ['CVE-2025-0001'],
      summary: 'Improper input validation in EdgeGet.Client.Vuln',
      details: 'EdgeGet.Client.Vuln from 1.1.0 before 2.0.0 mishandles crafted input.',
      affected: [
        {
          package: { ecosystem: 'NuGet', name: VULN },
          ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '1.1.0' }, { fixed: '2.0.0' }] }],
          database_specific: { source: `https://github.com/github/advisory-database/blob/main/${GHSA}.json` },
        },
        {
          package: { ecosystem: 'NuGet', name: 'Contoso.NotOnThisFeed' },
          ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.2.1' }] }],
        },
      ],
      references: [
        { type: 'ADVISORY', url: 'https://nvd.nist.gov/vuln/detail/CVE-2025-0001' },
        { type: 'WEB', url: 'https://github.com/edgeget/client-vuln/issues/1' },
        { type: 'PACKAGE', url: 'https://github.com/edgeget/client-vuln' },
      ],
      database_specific: { cwe_ids: ['CWE-20'], severity: 'HIGH', github_reviewed: true },
    };
    const file = join(ctx.ws.dir('osv'), `${GHSA}.json`);
    writeFileSync(file, JSON.stringify(osv, null, 2));
    const args = ['vulnerability', 'import', file, '--json', '--url', ctx.feed.origin, '--admin-key', ctx.feed.apiKey];
    const run = await edgeget(args);
    const log = `edgeget ${args.join(' ')} → exit ${run.code}\n${run.stdout}${run.stderr}`;
    expect(run.code, log).toBe(0);
    expect(JSON.parse(run.stdout), log).toMatchObject({
      added: [{ advisory: GHSA, id: VULN, url: GHSA_URL, versions: ['[1.1.0, 2.0.0)'] }],
      skipped: [{ advisory: GHSA, id: 'Contoso.NotOnThisFeed', reason: 'not on this feed' }],
    });

    const result = await restore(direct, ['--force']);
    expect(result.code, describeRun(result)).toBe(0);
    expect(result.output, describeRun(result)).toMatch(auditLine('warning', 'NU1903', VULN, '1.1.0', 'high', GHSA_URL));
    const { result: listed, report: vulnerable } = await list(direct, ['--vulnerable']);
    expect(packagesOf(vulnerable, 'topLevelPackages'), describeRun(listed)).toContainEqual(
      expect.objectContaining({ id: VULN, vulnerabilities: [{ severity: 'High', advisoryurl: GHSA_URL }] }),
    );
  });
});
