/**
 * Concurrent pushes and listing changes of one id: every change lands in D1 and, once the
 * requests have answered, in every derived view (flat container, registration hives, search,
 * autocomplete), without a manual rebuild. Races between same-version pushes have one winner
 * whose bytes alone are served.
 */
import { env, exports } from 'cloudflare:workers';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { HIVES, hiveLevel } from '../src/links';
import { blobKeys } from '../src/store/blobs';
import { rebuildDocuments } from '../src/documents/rebuild';
import { findVersion, insertVersionStatements } from '../src/store/packages';
import {
  autocompleteVersions,
  expectPagesMatchD1,
  flatVersions,
  registrationListing,
  searchVersions,
  servedNupkg,
  sha512,
  type Eligibility,
} from './support/feedView';
import { buildNupkg, FEED, pushRequest, TEST_API_KEY } from './support/nupkg';
import { versionRecord } from './support/records';
import { expectRegistrationShape } from './support/registrationShape';
import { seededRandom } from '../devkit/random.mjs';

const send = (request: Request) => exports.default.fetch(request);

interface Pushed {
  version: string;
  lower: string;
  prerelease: boolean;
  semVer2: boolean;
}

/**
 * 130 versions: past 128 the registration index holds stubs (protocol §4.7). Every tenth is a
 * SemVer 2 prerelease, every tenth a SemVer 2 release (build metadata), every tenth a SemVer 1
 * prerelease, so the hives and search variants each see a different set.
 */
const many: Pushed[] = Array.from({ length: 130 }, (_, i) => {
  const kind = i % 10;
  const version =
    kind === 3
      ? `1.${i}.0-beta.${i}`
      : kind === 7
        ? `1.${i}.0+build.${i}`
        : kind === 5
          ? `1.${i}.0-rc${i}`
          : `1.${i}.0`;
  return {
    version,
    lower: version.split('+')[0]!,
    prerelease: kind === 3 || kind === 5,
    semVer2: kind === 3 || kind === 7,
  };
});

const eligible = (pushed: readonly Pushed[], e: Eligibility) =>
  pushed.filter((p) => (e.prerelease || !p.prerelease) && (e.semVer2 || !p.semVer2)).map((p) => p.lower);
const sorted = <T>(items: Iterable<T>) => [...items].sort();
const VARIANTS: Eligibility[] = [
  { prerelease: false, semVer2: false },
  { prerelease: true, semVer2: false },
  { prerelease: false, semVer2: true },
  { prerelease: true, semVer2: true },
];

function listingRequest(listed: boolean, id: string, version: string): Request {
  return new Request(`${FEED}/api/v2/package/${id}/${version}`, {
    method: listed ? 'POST' : 'DELETE',
    headers: { 'X-NuGet-ApiKey': TEST_API_KEY },
  });
}

describe('concurrent pushes of distinct versions', () => {
  it('lose no version in any view', async () => {
    const responses = await Promise.all(
      many.map((p) => send(pushRequest(buildNupkg({ id: 'Concurrent.Many', version: p.version })))),
    );
    expect(responses.map((r) => r.status)).toEqual(many.map(() => 201));
    expect(responses.flatMap((r) => r.headers.get('X-NuGet-Warning') ?? [])).toEqual([]);

    const all = many.map((p) => p.lower);
    expect(sorted(await flatVersions('concurrent.many'))).toEqual(sorted(all));
    for (const hive of HIVES) {
      const listing = await registrationListing(hive, 'concurrent.many');
      const expected = eligible(many, { prerelease: true, semVer2: hiveLevel(hive) === 'semver2' });
      expect(sorted(listing.keys()), hive).toEqual(sorted(expected));
      expect([...listing.values()].every(Boolean), hive).toBe(true);
    }
    for (const variant of VARIANTS) {
      const expected = sorted(eligible(many, variant));
      expect(sorted(await searchVersions('Concurrent.Many', variant)), JSON.stringify(variant)).toEqual(expected);
      expect(sorted(await autocompleteVersions('concurrent.many', variant)), JSON.stringify(variant)).toEqual(expected);
    }
    await expectPagesMatchD1(env);
  }, 120_000);
});

describe('concurrent pushes of one version', () => {
  it('have one winner, and only its bytes are served', async () => {
    const contenders = Array.from({ length: 8 }, (_, i) =>
      buildNupkg({
        id: 'Contended',
        version: '2.0.0',
        description: `Contender ${i}.`,
        files: { [`content/c${i}.txt`]: `${i}` },
      }),
    );
    const statuses = (await Promise.all(contenders.map((bytes) => send(pushRequest(bytes))))).map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(7);
    const winner = contenders[statuses.indexOf(201)]!;

    expect(await servedNupkg('contended', '2.0.0')).toEqual(winner);
    const nuspec = await send(new Request(`${FEED}/v3/flat/contended/2.0.0/contended.nuspec`));
    expect(new Uint8Array(await nuspec.arrayBuffer())).toEqual(unzipSync(winner)['Contended.nuspec']);
    expect((await findVersion(env.DB, 'contended', '2.0.0'))?.packageHash).toBe(await sha512(winner));
    expect((await findVersion(env.DB, 'contended', '2.0.0'))?.packageSize).toBe(winner.length);
    expect((await env.PACKAGES.list({ prefix: blobKeys.uploadsPrefix })).objects).toEqual([]);
    expect(await flatVersions('contended')).toEqual(['2.0.0']);
  });
});

describe('concurrent unlist and relist', () => {
  it('leave every view agreeing with the final state in D1', async () => {
    const versions = ['3.0.0', '3.1.0', '3.2.0-beta.1', '3.3.0', '3.4.0+meta'];
    for (const version of versions) {
      expect((await send(pushRequest(buildNupkg({ id: 'Storm', version })))).status).toBe(201);
    }
    // 60 requests at once: random flips of the first three versions (which wins is up to the
    // race), only relists of the fourth and only unlists of the fifth.
    const random = seededRandom(7);
    const storm = Array.from({ length: 60 }, (_, i) => {
      if (i % 6 === 4) return { version: versions[3]!, listed: true };
      if (i % 6 === 5) return { version: versions[4]!, listed: false };
      return { version: versions[Math.floor(random() * 3)]!, listed: random() < 0.5 };
    });
    const responses = await Promise.all(storm.map((s) => send(listingRequest(s.listed, 'Storm', s.version))));
    expect(responses.map((r) => r.status)).toEqual(storm.map((s) => (s.listed ? 200 : 204)));

    const d1 = new Map<string, boolean>();
    for (const version of versions)
      d1.set(version.split('+')[0]!, (await findVersion(env.DB, 'storm', version.split('+')[0]!))!.listed);
    const listed = [...d1].filter(([, l]) => l).map(([v]) => v);
    expect(d1.get('3.3.0')).toBe(true);
    expect(d1.get('3.4.0')).toBe(false);

    expect(sorted(await flatVersions('storm'))).toEqual(sorted(d1.keys()));
    for (const hive of HIVES) {
      const expected = [...d1].filter(([v]) => hiveLevel(hive) === 'semver2' || !['3.2.0-beta.1', '3.4.0'].includes(v));
      expect(sorted(await registrationListing(hive, 'storm')), hive).toEqual(sorted(expected));
    }
    const everything = { prerelease: true, semVer2: true };
    expect(sorted(await searchVersions('Storm', everything))).toEqual(sorted(listed));
    expect(sorted(await autocompleteVersions('storm', everything))).toEqual(sorted(listed));
    await expectPagesMatchD1(env);
  }, 60_000);
});

describe('concurrent pushes into an id with a long history', () => {
  it('lose nothing: 100 at once into an id with 1,000 versions', async () => {
    const existing = Array.from({ length: 1000 }, (_, i) =>
      versionRecord('Long.History', `1.${Math.floor(i / 100)}.${i % 100}`),
    );
    for (let start = 0; start < existing.length; start += 50) {
      await env.DB.batch(
        existing.slice(start, start + 50).flatMap((record) => insertVersionStatements(env.DB, record)),
      );
    }
    expect((await rebuildDocuments(env, 'long.history')).settled).toBe(true);
    // Mostly newer versions, every fifth between existing ones (full pages split), some SemVer 2.
    const pushed = Array.from({ length: 100 }, (_, i) =>
      i % 5 === 0 ? `1.${i % 10}.${i}.7` : i % 7 === 0 ? `2.0.${i}-ci.${i}` : `2.0.${i}`,
    );
    const responses = await Promise.all(
      pushed.map((version) => send(pushRequest(buildNupkg({ id: 'Long.History', version })))),
    );
    expect(responses.map((r) => r.status)).toEqual(pushed.map(() => 201));
    expect(responses.flatMap((r) => r.headers.get('X-NuGet-Warning') ?? [])).toEqual([]);
    expect(await flatVersions('long.history')).toHaveLength(1100);
    await expectRegistrationShape('long.history');
    await expectPagesMatchD1(env);
  }, 180_000);
});
