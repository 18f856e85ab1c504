import { env, exports } from 'cloudflare:workers';
import { strToU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { ADMIN_GRANT } from '../src/nuget/keyScopes';
import { isFailure } from '../src/problems';
import { commitVersion } from '../src/push/commit';
import { publishPackage } from '../src/push/publishPackage';
import { PART_BYTES } from '../src/push/upload';
import { blobKeys } from '../src/store/blobs';
import { findVersion } from '../src/store/packages';
import { documentKeys } from '../src/store/documents';
import { buildNupkg, FEED, multipartBody, pushRequest, TEST_API_KEY } from './support/nupkg';
import { versionRecord } from './support/records';

const send = (request: Request) => exports.default.fetch(request);

async function sha512(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-512', bytes));
  let binary = '';
  for (const byte of digest) binary += String.fromCharCode(byte);
  return btoa(binary);
}

async function blob(key: string): Promise<R2ObjectBody | null> {
  return env.PACKAGES.get(key);
}

async function blobBytes(key: string): Promise<Uint8Array | null> {
  const object = await blob(key);
  return object ? new Uint8Array(await object.arrayBuffer()) : null;
}

async function uploadsLeft(): Promise<string[]> {
  return (await env.PACKAGES.list({ prefix: blobKeys.uploadsPrefix })).objects.map((o) => o.key);
}

/** A request whose body is a chunked stream (no Content-Length), in pieces of `chunk` bytes. */
function streamedPush(bytes: Uint8Array, chunk: number, contentType?: string): Request {
  const { body, contentType: quoted } = multipartBody(bytes);
  let at = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= body.length) return controller.close();
      controller.enqueue(body.slice(at, at + chunk));
      at += chunk;
    },
  });
  return new Request(`${FEED}/api/v2/package/`, {
    method: 'PUT',
    headers: { 'Content-Type': contentType ?? quoted, 'X-NuGet-ApiKey': TEST_API_KEY },
    body: stream,
  });
}

function randomBytes(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let at = 0; at < length; at += 65536) crypto.getRandomValues(bytes.subarray(at, at + 65536));
  return bytes;
}

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

describe('a successful push', () => {
  it('stores the exact bytes, the nuspec, the row, the catalog item and the pages', async () => {
    const before = Date.now();
    const bytes = buildNupkg({
      id: 'Basic.Package',
      version: '1.0.0-Beta.1+build.5',
      metadata:
        '<title>Basic</title><tags>one, two three</tags><readme>docs/README.md</readme><icon>images/icon.png</icon>',
      files: { 'docs/README.md': '# Hello', 'images/icon.png': PNG },
    });
    const response = await send(pushRequest(bytes));
    expect(response.status, response.statusText).toBe(201);

    expect(await blobBytes(blobKeys.nupkg('basic.package', '1.0.0-beta.1'))).toEqual(bytes);
    const nuspecEntry = unzipSync(bytes)['Basic.Package.nuspec'];
    expect(await blobBytes(blobKeys.nuspec('basic.package', '1.0.0-beta.1'))).toEqual(nuspecEntry);
    expect(await blobBytes(blobKeys.readme('basic.package', '1.0.0-beta.1'))).toEqual(strToU8('# Hello'));
    const icon = await blob(blobKeys.icon('basic.package', '1.0.0-beta.1'));
    expect(new Uint8Array(await icon!.arrayBuffer())).toEqual(PNG);
    expect(icon!.httpMetadata?.contentType).toBe('image/png');

    const row = await findVersion(env.DB, 'basic.package', '1.0.0-beta.1');
    expect(row).toMatchObject({
      id: 'Basic.Package',
      version: '1.0.0-Beta.1+build.5',
      originalVersion: '1.0.0-Beta.1+build.5',
      isPrerelease: true,
      isSemVer2: true,
      listed: true,
      title: 'Basic',
      tags: 'one two three',
      hasReadme: true,
      iconContentType: 'image/png',
      packageSize: bytes.length,
      packageHash: await sha512(bytes),
      downloads: 0,
    });
    const created = Date.parse(row!.created);
    expect(created).toBeGreaterThanOrEqual(before);
    expect(created).toBeLessThanOrEqual(Date.now());
    expect(row!.published).toBe(row!.created);

    const catalog = await env.DB.prepare(
      "SELECT item_type, id, version FROM catalog_items WHERE lower_id = 'basic.package'",
    ).all();
    expect(catalog.results).toEqual([
      { item_type: 'PackageDetails', id: 'Basic.Package', version: '1.0.0-Beta.1+build.5' },
    ]);
    expect(await env.PAGES.get(documentKeys.versionsIndex('basic.package'))).toContain('1.0.0-beta.1');
    expect(await uploadsLeft()).toEqual([]);
  });

  it('stores neither readme nor icon when the nuspec names none', async () => {
    const response = await send(pushRequest(buildNupkg({ id: 'Plain', version: '2.0.0' })));
    expect(response.status).toBe(201);
    expect(await blob(blobKeys.readme('plain', '2.0.0'))).toBeNull();
    expect(await blob(blobKeys.icon('plain', '2.0.0'))).toBeNull();
    expect(await findVersion(env.DB, 'plain', '2.0.0')).toMatchObject({ hasReadme: false, iconContentType: '' });
  });

  it('accepts the push URL without its trailing slash', async () => {
    const response = await send(
      pushRequest(buildNupkg({ id: 'NoSlash', version: '1.0.0' }), { path: '/api/v2/package' }),
    );
    expect(response.status).toBe(201);
    expect(await findVersion(env.DB, 'noslash', '1.0.0')).not.toBeNull();
  });

  it('accepts an unquoted boundary and a chunked body split across the delimiter', async () => {
    const boundary = '7d3c1e5a-2b4f-4d8e-9a61-0c5b2f3e8d17';
    for (const [version, chunk] of [
      ['1.0.0', 7],
      ['1.0.1', 4096],
    ] as const) {
      const versioned = buildNupkg({ id: 'Chunked', version, files: { 'content/data.bin': randomBytes(1000) } });
      const response = await send(streamedPush(versioned, chunk, `multipart/form-data; boundary=${boundary}`));
      expect(response.status, response.statusText).toBe(201);
      expect(await blobBytes(blobKeys.nupkg('chunked', version))).toEqual(versioned);
    }
    const again = buildNupkg({ id: 'Chunked', version: '1.0.0', files: { 'content/data.bin': randomBytes(100_000) } });
    expect((await send(streamedPush(again, 65_536))).status).toBe(409);
  });

  it('streams a package larger than one part as an R2 multipart upload', async () => {
    const bytes = buildNupkg({
      id: 'Large',
      version: '1.0.0',
      files: { 'content/random.bin': randomBytes(PART_BYTES * 2 + 12345) },
    });
    expect(bytes.length).toBeGreaterThan(PART_BYTES * 2);
    const response = await send(streamedPush(bytes, 64 * 1024));
    expect(response.status, response.statusText).toBe(201);
    const stored = await blobBytes(blobKeys.nupkg('large', '1.0.0'));
    expect(stored?.length).toBe(bytes.length);
    expect(await sha512(stored!)).toBe(await sha512(bytes));
    expect((await findVersion(env.DB, 'large', '1.0.0'))?.packageHash).toBe(await sha512(bytes));
    expect(await uploadsLeft()).toEqual([]);
  }, 60_000);
});

describe('duplicates', () => {
  it('answers 409 for the same id and version however it is spelled, and keeps the first', async () => {
    const first = buildNupkg({ id: 'Dup.Package', version: '1.0.0' });
    expect((await send(pushRequest(first))).status).toBe(201);
    const attempts = [
      first,
      buildNupkg({ id: 'Dup.Package', version: '1.0.0', description: 'Different bytes.' }),
      buildNupkg({ id: 'DUP.package', version: '1.0.0' }),
      buildNupkg({ id: 'Dup.Package', version: '1.0' }),
      buildNupkg({ id: 'Dup.Package', version: '1.0.0.0' }),
      buildNupkg({ id: 'Dup.Package', version: '1.0.0+meta' }),
    ];
    for (const bytes of attempts) {
      const response = await send(pushRequest(bytes));
      expect(response.status).toBe(409);
      expect(response.headers.get('X-NuGet-Warning')).toMatch(/already exists\. Use --skip-duplicate to ignore\./);
    }
    expect(await blobBytes(blobKeys.nupkg('dup.package', '1.0.0'))).toEqual(first);
    expect((await findVersion(env.DB, 'dup.package', '1.0.0'))?.packageHash).toBe(await sha512(first));
    expect(await uploadsLeft()).toEqual([]);
  });

  it('lets exactly one of five concurrent pushes of one version win', async () => {
    const packages = Array.from({ length: 5 }, (_, i) =>
      buildNupkg({ id: 'Race', version: '1.0.0', description: `Contender ${i}.` }),
    );
    const responses = await Promise.all(packages.map((bytes) => send(pushRequest(bytes))));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(4);
    const winner = packages[statuses.indexOf(201)]!;
    expect(await blobBytes(blobKeys.nupkg('race', '1.0.0'))).toEqual(winner);
    expect((await findVersion(env.DB, 'race', '1.0.0'))?.packageHash).toBe(await sha512(winner));
    const nuspec = new TextDecoder().decode((await blobBytes(blobKeys.nuspec('race', '1.0.0')))!);
    expect(nuspec).toContain(`Contender ${statuses.indexOf(201)}.`);
    expect(await uploadsLeft()).toEqual([]);
  });

  it('accepts twenty concurrent pushes of distinct versions of one id', async () => {
    const versions = Array.from({ length: 20 }, (_, i) => `3.${i}.0`);
    const responses = await Promise.all(
      versions.map((version) => send(pushRequest(buildNupkg({ id: 'Many', version })))),
    );
    expect(responses.map((r) => r.status)).toEqual(versions.map(() => 201));
    const rows = await env.DB.prepare("SELECT lower_version FROM package_versions WHERE lower_id = 'many'").all();
    expect(rows.results.map((r) => r.lower_version).sort()).toEqual([...versions].sort());
    const registration = await env.DB.prepare(
      "SELECT generation FROM package_registrations WHERE lower_id = 'many'",
    ).first();
    expect(registration?.generation).toBe(20);
    const index = JSON.parse((await env.PAGES.get(documentKeys.versionsIndex('many')))!);
    expect(index.versions).toHaveLength(20);
  }, 30_000);

  it('answers 409 while another push holds the version, and replaces a stale orphan blob', async () => {
    const key = blobKeys.nupkg('orphan', '1.0.0');
    await env.PACKAGES.put(key, 'left by a push that died before its row');
    await env.PACKAGES.put(blobKeys.icon('orphan', '1.0.0'), 'orphan icon');
    const bytes = buildNupkg({ id: 'Orphan', version: '1.0.0' });

    const fresh = await send(pushRequest(bytes));
    expect(fresh.status).toBe(409);
    expect(fresh.headers.get('X-NuGet-Warning')).toContain('being pushed by another request');
    expect(await findVersion(env.DB, 'orphan', '1.0.0')).toBeNull();

    // Sixteen minutes on, the blob without a row is a leftover and the push may take its place.
    const later = new Date(Date.now() + 16 * 60 * 1000);
    const result = await publishPackage(env, caches.default, pushRequest(bytes), {
      now: later,
      limits: { maxBytes: 1 << 20, partBytes: PART_BYTES },
      publisher: ADMIN_GRANT,
    });
    expect(isFailure(result), JSON.stringify(result)).toBe(false);
    expect(await blobBytes(key)).toEqual(bytes);
    expect(await blob(blobKeys.icon('orphan', '1.0.0'))).toBeNull();
    expect((await findVersion(env.DB, 'orphan', '1.0.0'))?.created).toBe(later.toISOString());
  });
});

describe('a commit that fails', () => {
  it("removes the blobs it wrote, so that the client's retry is not taken for a duplicate", async () => {
    const bytes = buildNupkg({
      id: 'Broken',
      version: '1.0.0',
      metadata: '<readme>R.md</readme>',
      files: { 'R.md': '# r' },
    });
    await env.PACKAGES.put(blobKeys.upload('broken-test'), bytes);
    // A NOT NULL column bound to null: the batch fails inside D1 and rolls back.
    const record = { ...versionRecord('Broken', '1.0.0'), authors: null as unknown as string };
    const files = { nuspec: strToU8('<package />'), readme: strToU8('# r'), icon: null };
    const received = { key: blobKeys.upload('broken-test'), bytes: null };
    await expect(commitVersion(env, received, files, record, new Date(), null)).rejects.toThrow(/NOT NULL/);
    expect((await env.PACKAGES.list({ prefix: blobKeys.versionPrefix('broken', '1.0.0') })).objects).toEqual([]);
    expect(await findVersion(env.DB, 'broken', '1.0.0')).toBeNull();
    await env.PACKAGES.delete(blobKeys.upload('broken-test'));

    expect((await send(pushRequest(bytes))).status).toBe(201);
  });
});

describe('refused pushes', () => {
  it('answers 401 without a key or with a wrong key, and stores nothing', async () => {
    const bytes = buildNupkg({ id: 'Unauthorized', version: '1.0.0' });
    for (const apiKey of [null, 'wrong-key', '', `${TEST_API_KEY}x`, TEST_API_KEY.toUpperCase()]) {
      const response = await send(pushRequest(bytes, { apiKey }));
      expect(response.status).toBe(401);
      expect(response.statusText).toBe('A valid API key is required: pass it with -k / X-NuGet-ApiKey.');
      // 401 is the first half of every credential exchange (§11.8): no warning for the client to print.
      expect(response.headers.get('X-NuGet-Warning')).toBeNull();
    }
    expect(await findVersion(env.DB, 'unauthorized', '1.0.0')).toBeNull();
    expect((await env.PACKAGES.list({ prefix: blobKeys.versionPrefix('unauthorized', '1.0.0') })).objects).toEqual([]);
    expect(await uploadsLeft()).toEqual([]);
  });

  it('answers 413 past the size limit, saying how large the package is', async () => {
    const bytes = buildNupkg({ id: 'TooBig', version: '1.0.0', files: { 'content/random.bin': randomBytes(50_000) } });
    const result = await publishPackage(env, caches.default, streamedPush(bytes, 1000), {
      now: new Date(),
      limits: { maxBytes: 10_000, partBytes: PART_BYTES },
      publisher: ADMIN_GRANT,
    });
    expect(result).toEqual({
      failure: 'tooLarge',
      message: `The package is ${bytes.length} bytes; this feed accepts at most 10000.`,
    });
    expect(await findVersion(env.DB, 'toobig', '1.0.0')).toBeNull();
    expect(await uploadsLeft()).toEqual([]);
  });

  it('answers 413 to a real push over MAX_PACKAGE_BYTES and leaves no upload behind', async () => {
    const max = Number(env.MAX_PACKAGE_BYTES);
    const head = strToU8('--b\r\nContent-Type: application/octet-stream\r\n\r\n');
    const chunk = new Uint8Array(1024 * 1024);
    const total = max + chunk.length;
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(head);
      },
      pull(controller) {
        if (sent >= total) {
          controller.enqueue(strToU8('\r\n--b--\r\n'));
          return controller.close();
        }
        controller.enqueue(chunk.slice());
        sent += chunk.length;
      },
    });
    const response = await send(
      new Request(`${FEED}/api/v2/package/`, {
        method: 'PUT',
        headers: { 'Content-Type': 'multipart/form-data; boundary=b', 'X-NuGet-ApiKey': TEST_API_KEY },
        body,
      }),
    );
    expect(response.status).toBe(413);
    expect(response.headers.get('X-NuGet-Warning')).toBe(
      `The package is ${total} bytes; this feed accepts at most ${max}.`,
    );
    expect(await uploadsLeft()).toEqual([]);
  }, 60_000);
});
