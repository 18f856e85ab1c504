/**
 * Faults between the steps of a push and of an unlist: R2, D1 or KV failing or slow. Whatever
 * the request answers, no version is half visible (listed but not downloadable, or a blob no
 * row owns once repaired), the client's retry succeeds, and the repair pass brings KV back to
 * exactly what D1 says.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import { repairFeed } from '../src/documents/repair';
import { PART_BYTES } from '../src/push/upload';
import { blobKeys } from '../src/store/blobs';
import { findVersion } from '../src/store/packages';
import { documentKeys } from '../src/store/documents';
import { captureErrorLog, expectLogged } from './support/errorLog';
import { faultyEnv, fetchWith, gate, keyMatching, type Fault } from './support/faultyEnv';
import {
  everything,
  expectNoHalfVisibleVersion,
  expectPagesMatchD1,
  flatVersions,
  HOUR,
  keysUnder,
  registrationListing,
  repairAndCheck,
  searchVersions,
  servedNupkg,
  sha512,
} from './support/feedView';
import { buildNupkg, FEED, multipartBody, pushRequest, TEST_API_KEY } from './support/nupkg';

interface PushCase {
  name: string;
  faults: Fault[];
  /** What the faulty push answers. */
  status: number;
  /** Whether that push committed (so the retry is a 409). */
  committed: boolean;
  /** Package contents beyond id and version. */
  extra?: { metadata?: string; files?: Record<string, string | Uint8Array> };
  /** What the Worker logs about the fault (nothing where empty). */
  log: RegExp[];
}

const errorLog = captureErrorLog();
const unhandled = (method: string, fault: string) =>
  new RegExp(`^unhandled error ${method} \\S+ \\w+: injected fault: ${fault.replace('.', '\\.')}$`);
const pagesFailed = (lowerId: string) =>
  new RegExp(`^page rebuild failed after a committed change ${lowerId} \\w+: injected fault: PAGES\\.put$`);

const isUpload = keyMatching((key) => key.startsWith(blobKeys.uploadsPrefix));
const isNupkg = keyMatching((key) => key.startsWith(blobKeys.packagesPrefix) && key.endsWith('.nupkg'));
const withReadme = { metadata: '<readme>README.md</readme>', files: { 'README.md': '# Read me' } };
/** The commit batch: the one that inserts the version row. */
const isCommit = (args: unknown[]) =>
  (args[0] as { statement?: string }[]).some((s) => /INSERT INTO package_versions/.test(s.statement ?? ''));

const pushCases: PushCase[] = [
  {
    name: 'the upload put fails',
    faults: [{ binding: 'PACKAGES', method: 'put', match: isUpload, effect: 'throw' }],
    status: 500,
    committed: false,
    log: [unhandled('PUT', 'PACKAGES.put')],
  },
  {
    name: 'the copy to the final key fails',
    faults: [{ binding: 'PACKAGES', method: 'put', match: isNupkg, effect: 'throw' }],
    status: 500,
    committed: false,
    log: [unhandled('PUT', 'PACKAGES.put')],
  },
  {
    name: 'the copy to the final key lands but its answer is lost',
    faults: [{ binding: 'PACKAGES', method: 'put', match: isNupkg, effect: 'lost' }],
    status: 500,
    committed: false,
    log: [unhandled('PUT', 'PACKAGES.put')],
  },
  {
    name: 'the nuspec put fails',
    faults: [{ binding: 'PACKAGES', method: 'put', match: keyMatching((k) => k.endsWith('.nuspec')), effect: 'throw' }],
    status: 500,
    committed: false,
    extra: withReadme,
    log: [unhandled('PUT', 'PACKAGES.put')],
  },
  {
    name: 'the readme put fails',
    faults: [{ binding: 'PACKAGES', method: 'put', match: keyMatching((k) => k.endsWith('/readme')), effect: 'throw' }],
    status: 500,
    committed: false,
    extra: withReadme,
    log: [unhandled('PUT', 'PACKAGES.put')],
  },
  {
    name: 'the D1 batch fails',
    faults: [{ binding: 'DB', method: 'batch', match: isCommit, effect: 'throw' }],
    status: 500,
    committed: false,
    log: [unhandled('PUT', 'DB.batch')],
  },
  {
    name: 'the D1 batch commits but its answer is lost',
    faults: [{ binding: 'DB', method: 'batch', match: isCommit, effect: 'lost' }],
    status: 201,
    committed: true,
    log: [],
  },
  {
    name: 'the first KV put fails',
    faults: [{ binding: 'PAGES', method: 'put', effect: 'throw' }],
    status: 201,
    committed: true,
    log: [pagesFailed('fault.push7')],
  },
  {
    name: 'every KV put fails',
    faults: [{ binding: 'PAGES', method: 'put', nth: 'every', effect: 'throw' }],
    status: 201,
    committed: true,
    log: [pagesFailed('fault.push8')],
  },
  {
    name: 'the upload removal fails after the commit',
    faults: [{ binding: 'PACKAGES', method: 'delete', match: isUpload, effect: 'throw' }],
    status: 201,
    committed: true,
    log: [/^upload not removed uploads\/\S+ \w+: injected fault: PACKAGES\.delete$/],
  },
];

describe('a push meeting a fault', () => {
  pushCases.forEach((c, i) => {
    it(`${c.name}: answers ${c.status}, shows nothing half done, and converges`, async () => {
      const id = `Fault.Push${i}`;
      const lowerId = id.toLowerCase();
      // An earlier version, so the id's documents exist and a fault can leave them stale.
      expect((await fetchWith(env, pushRequest(buildNupkg({ id, version: '1.0.0' })))).status).toBe(201);
      const bytes = buildNupkg({ id, version: '2.0.0', ...c.extra });

      const faulty = faultyEnv(env, c.faults);
      const response = await fetchWith(faulty.env, pushRequest(bytes));
      expect(
        faulty.hits.every((n) => n > 0),
        'every fault was met',
      ).toBe(true);
      expect(response.status, response.statusText).toBe(c.status);
      const row = await findVersion(env.DB, lowerId, '2.0.0');
      expect(row !== null).toBe(c.committed);
      if (c.committed) expect(row!.packageHash).toBe(await sha512(bytes));
      // A push that failed removed what it wrote: nothing, not even a readme, waits for repair.
      if (!c.committed) expect(await keysUnder(blobKeys.versionPrefix(lowerId, '2.0.0'))).toEqual([]);
      if (c.status === 201 && c.faults[0]!.binding === 'PAGES') {
        expect(response.headers.get('X-NuGet-Warning')).toMatch(/not yet updated/);
      }
      await expectNoHalfVisibleVersion(lowerId, id);

      const retry = await fetchWith(env, pushRequest(bytes));
      expect(retry.status, retry.statusText).toBe(c.committed ? 409 : 201);
      await expectNoHalfVisibleVersion(lowerId, id);
      await repairAndCheck();
      expect(await flatVersions(lowerId)).toEqual(['1.0.0', '2.0.0']);
      expect(await servedNupkg(lowerId, '2.0.0')).toEqual(bytes);
      expectLogged(errorLog(), c.log);
    }, 30_000);
  });

  it('a failing multipart upload part or completion answers 500, leaves no upload, and the retry succeeds', async () => {
    const filler = new Uint8Array(PART_BYTES * 2 + 1000);
    for (let at = 0; at < filler.length; at += 65536) crypto.getRandomValues(filler.subarray(at, at + 65536));
    const bytes = buildNupkg({ id: 'Fault.Large', version: '1.0.0', files: { 'content/random.bin': filler } });
    for (const fault of [
      { binding: 'PACKAGES', method: 'uploadPart', nth: 2, effect: 'throw' },
      { binding: 'PACKAGES', method: 'complete', effect: 'throw' },
    ] satisfies Fault[]) {
      const faulty = faultyEnv(env, [fault]);
      const response = await fetchWith(faulty.env, pushRequest(bytes));
      expect(faulty.hits, fault.method).toEqual([1]);
      expect(response.status).toBe(500);
      expect(await keysUnder(blobKeys.uploadsPrefix)).toEqual([]);
      expect(await keysUnder(blobKeys.versionPrefix('fault.large', '1.0.0'))).toEqual([]);
    }
    expect((await fetchWith(env, pushRequest(bytes))).status).toBe(201);
    // Compared by hash: a failing toEqual would try to print a diff of 16 MiB.
    expect(await sha512((await servedNupkg('fault.large', '1.0.0'))!)).toBe(await sha512(bytes));
    await repairAndCheck();
    expectLogged(errorLog(), [unhandled('PUT', 'PACKAGES.uploadPart'), unhandled('PUT', 'PACKAGES.complete')]);
  }, 60_000);

  // Issue 11 item 10: a body that breaks off is a client that went away, an expected event: it is
  // answered as a failure value (400; nobody reads it) and logged once as a warning, not as an error.
  it('a body that breaks off mid-way answers 400, leaves no upload, and logs one warning', async () => {
    const bytes = buildNupkg({ id: 'Fault.Broken', version: '1.0.0', files: { 'content/a.txt': 'a'.repeat(5000) } });
    const { body, contentType } = multipartBody(bytes);
    let sent = false;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent) return controller.error(new Error('connection reset'));
        controller.enqueue(body.slice(0, body.length / 2));
        sent = true;
      },
    });
    const request = new Request(`${FEED}/api/v2/package/`, {
      method: 'PUT',
      headers: { 'Content-Type': contentType, 'X-NuGet-ApiKey': TEST_API_KEY },
      body: stream,
    });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      expect((await fetchWith(env, request)).status).toBe(400);
      expect(warn.mock.calls.map((args) => args.join(' '))).toEqual([
        'client disconnected mid-push PUT /api/v2/package/ connection reset',
      ]);
    } finally {
      warn.mockRestore();
    }
    expect(await keysUnder(blobKeys.uploadsPrefix)).toEqual([]);
    expect(await findVersion(env.DB, 'fault.broken', '1.0.0')).toBeNull();
    expect((await fetchWith(env, pushRequest(bytes))).status).toBe(201);
    expectLogged(errorLog(), []);
  });

  it('a slow KV write shows a committed version downloadable meanwhile', async () => {
    const held = gate();
    const reached = gate();
    const faulty = faultyEnv(env, [
      {
        binding: 'PAGES',
        method: 'put',
        effect: {
          wait: () => {
            reached.open();
            return held.until;
          },
        },
      },
    ]);
    const bytes = buildNupkg({ id: 'Fault.Slow', version: '1.0.0' });
    const pending = fetchWith(faulty.env, pushRequest(bytes));
    await reached.until;
    // Committed in D1, pages not yet written: search already finds it, and it downloads.
    expect(await searchVersions('Fault.Slow', everything)).toEqual(['1.0.0']);
    expect(await servedNupkg('fault.slow', '1.0.0')).toEqual(bytes);
    await expectNoHalfVisibleVersion('fault.slow', 'Fault.Slow');
    held.open();
    expect((await pending).status).toBe(201);
    expect(await flatVersions('fault.slow')).toEqual(['1.0.0']);
    await expectPagesMatchD1(env);
    expectLogged(errorLog(), []);
  });
});

describe('a push that cannot clean up after itself', () => {
  const isVersionCleanup = (args: unknown[]) => Array.isArray(args[0]);
  const doubleFault: Fault[] = [
    { binding: 'PACKAGES', method: 'put', match: keyMatching((k) => k.endsWith('.nuspec')), effect: 'throw' },
    { binding: 'PACKAGES', method: 'delete', match: isVersionCleanup, effect: 'throw' },
  ];

  it('leaves a nupkg no view shows, which the retry replaces at once', async () => {
    const bytes = buildNupkg({ id: 'Fault.Leftover', version: '1.0.0', description: 'The retried bytes.' });
    const faulty = faultyEnv(env, doubleFault);
    expect((await fetchWith(faulty.env, pushRequest(bytes))).status).toBe(500);
    expect(faulty.hits).toEqual([1, 1]);
    expect(await keysUnder(blobKeys.versionPrefix('fault.leftover', '1.0.0'))).toHaveLength(1);
    await expectNoHalfVisibleVersion('fault.leftover', 'Fault.Leftover');
    // The push that wrote it has ended (its upload is gone), so it is not "being pushed".
    const retry = await fetchWith(env, pushRequest(bytes));
    expect(retry.status, retry.statusText).toBe(201);
    expect(await servedNupkg('fault.leftover', '1.0.0')).toEqual(bytes);
    await repairAndCheck();
    expectLogged(errorLog(), [unhandled('PUT', 'PACKAGES.delete')]);
  });

  it('leaves blobs the repair pass removes after an hour and not before', async () => {
    const faulty = faultyEnv(env, [
      ...doubleFault,
      { binding: 'PACKAGES', method: 'delete', match: isUpload, effect: 'throw' },
    ]);
    expect(
      (await fetchWith(faulty.env, pushRequest(buildNupkg({ id: 'Fault.Abandoned', version: '1.0.0' })))).status,
    ).toBe(500);
    expect(faulty.hits).toEqual([1, 1, 1]);
    const leftovers = [
      ...(await keysUnder(blobKeys.versionPrefix('fault.abandoned', '1.0.0'))),
      ...(await keysUnder(blobKeys.uploadsPrefix)),
    ];
    expect(leftovers).toHaveLength(2);

    await repairFeed(env, new Date(Date.now() + HOUR - 60_000));
    for (const key of leftovers) expect(await env.PACKAGES.head(key), key).not.toBeNull();
    await repairFeed(env, new Date(Date.now() + HOUR + 60_000));
    for (const key of leftovers) expect(await env.PACKAGES.head(key), key).toBeNull();
    expectLogged(errorLog(), [
      unhandled('PUT', 'PACKAGES.delete'),
      /^upload not removed uploads\/\S+ \w+: injected fault: PACKAGES\.delete$/,
    ]);
  });
});

describe('a slow page write racing other pushes', () => {
  it('never leaves pages older than D1 once every request has answered', async () => {
    expect((await fetchWith(env, pushRequest(buildNupkg({ id: 'Fault.Race', version: '1.0.0' })))).status).toBe(201);
    // The slow push's write of the flat list is held three times in a row; each time another push
    // commits and writes its pages meanwhile, so each held write lands stale, over newer pages.
    let holds = 3;
    let reached = gate();
    let release = gate();
    const faulty = faultyEnv(env, [
      {
        binding: 'PAGES',
        method: 'put',
        match: keyMatching((key) => key === documentKeys.versionsIndex('fault.race')),
        nth: 'every',
        effect: {
          wait: () => {
            if (holds === 0) return Promise.resolve();
            reached.open();
            return release.until;
          },
        },
      },
    ]);
    const slow = fetchWith(faulty.env, pushRequest(buildNupkg({ id: 'Fault.Race', version: '2.0.0' })));
    for (let i = 0; i < 3; i++) {
      await reached.until;
      reached = gate();
      const other = await fetchWith(env, pushRequest(buildNupkg({ id: 'Fault.Race', version: `3.${i}.0` })));
      expect(other.status).toBe(201);
      holds--;
      release.open();
      release = gate();
    }
    const response = await slow;
    expect(response.status).toBe(201);
    expect(response.headers.get('X-NuGet-Warning')).toBeNull();
    expect(await flatVersions('fault.race')).toEqual(['1.0.0', '2.0.0', '3.0.0', '3.1.0', '3.2.0']);
    await expectPagesMatchD1(env);
    expectLogged(errorLog(), []);
  }, 30_000);
});

describe('an unlist or relist meeting a fault', () => {
  const isListing = (args: unknown[]) =>
    (args[0] as { statement?: string }[]).some((s) => /UPDATE package_versions SET listed/.test(s.statement ?? ''));
  const listingCases: {
    name: string;
    faults: Fault[];
    status: (listed: boolean) => number;
    committed: boolean;
    /** What the Worker logs about the fault, for the unlist and then the relist. */
    log: RegExp[];
  }[] = [
    {
      name: 'the D1 batch fails',
      faults: [{ binding: 'DB', method: 'batch', match: isListing, effect: 'throw' }],
      status: () => 500,
      committed: false,
      log: [unhandled('DELETE', 'DB.batch'), unhandled('POST', 'DB.batch')],
    },
    {
      name: 'the D1 batch commits but its answer is lost',
      faults: [{ binding: 'DB', method: 'batch', match: isListing, effect: 'lost' }],
      status: () => 500,
      committed: true,
      log: [unhandled('DELETE', 'DB.batch'), unhandled('POST', 'DB.batch')],
    },
    {
      name: 'every KV put fails',
      faults: [{ binding: 'PAGES', method: 'put', nth: 'every', effect: 'throw' }],
      status: (l) => (l ? 200 : 204),
      committed: true,
      log: [pagesFailed('fault.listing2')],
    },
  ];

  listingCases.forEach((c, i) => {
    it(`${c.name}: keeps D1 consistent, and the pages converge`, async () => {
      const id = `Fault.Listing${i}`;
      const lowerId = id.toLowerCase();
      for (const version of ['1.0.0', '2.0.0']) {
        expect((await fetchWith(env, pushRequest(buildNupkg({ id, version })))).status).toBe(201);
      }
      for (const listed of [false, true]) {
        const request = () =>
          new Request(`${FEED}/api/v2/package/${id}/2.0.0`, {
            method: listed ? 'POST' : 'DELETE',
            headers: { 'X-NuGet-ApiKey': TEST_API_KEY },
          });
        const faulty = faultyEnv(env, c.faults);
        const response = await fetchWith(faulty.env, request());
        expect(faulty.hits.every((n) => n > 0)).toBe(true);
        expect(response.status).toBe(c.status(listed));
        const expected = c.committed ? listed : !listed;
        expect((await findVersion(env.DB, lowerId, '2.0.0'))?.listed).toBe(expected);
        // Search reads D1: it agrees at once, whatever KV holds.
        expect(await searchVersions(id, everything)).toEqual(expected ? ['1.0.0', '2.0.0'] : ['1.0.0']);
        await expectNoHalfVisibleVersion(lowerId, id);

        await repairAndCheck();
        expect((await registrationListing('semver1', lowerId)).get('2.0.0')).toBe(expected);
        const retry = await fetchWith(env, request());
        expect(retry.status).toBe(listed ? 200 : 204);
        expect((await registrationListing('semver2-gz', lowerId)).get('2.0.0')).toBe(listed);
      }
      expectLogged(errorLog(), c.log);
    }, 30_000);
  });
});
