/**
 * Issue 12: a change rewrites only the documents it changes, and what it leaves behind is exactly
 * what a rebuild from D1 writes. Random sequences of pushes (including versions below and between
 * existing ones), unlists and relists, each followed by the rebuild a real change runs, are
 * compared with the documents built from D1 into an empty namespace.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { documentsOf, documentText } from '../src/documents/plan';
import { rebuildDocuments } from '../src/documents/rebuild';
import { insertVersion, updateListing } from '../src/store/packages';
import { registrationSnapshot, versionRecords } from '../src/store/registrationPages';
import { seededRandom } from '../devkit/random.mjs';
import { expectRegistrationShape } from './support/registrationShape';
import { versionRecord } from './support/records';

const NOW = new Date('2026-06-01T00:00:00.000Z');

/** Every KV document of one id: key → text. */
async function storedDocuments(lowerId: string): Promise<Map<string, string>> {
  const texts = new Map<string, string>();
  for (const prefix of [`registration/semver1/${lowerId}/`, `registration/semver2/${lowerId}/`]) {
    const { keys } = await env.PAGES.list({ prefix });
    for (const key of keys) texts.set(key.name, (await env.PAGES.get(key.name))!);
  }
  const flat = await env.PAGES.get(`flat/${lowerId}`);
  if (flat !== null) texts.set(`flat/${lowerId}`, flat);
  return texts;
}

/** Every document built from D1 alone, with every version's full record: what a rebuild into an empty KV writes. */
async function documentsFromD1(lowerId: string): Promise<Map<string, string>> {
  const read = await registrationSnapshot(env.DB, lowerId, false);
  const target = documentsOf(read?.layout ?? null);
  if (!read) return new Map();
  const content = await versionRecords(
    env.DB,
    lowerId,
    read.layout.versions.map((v) => v.lowerVersion),
  );
  return new Map([...target.documents].map(([name, doc]) => [name, documentText(doc, read.layout, content)]));
}

/** A random version: mostly releases, some SemVer 1 and SemVer 2 prereleases, some with metadata. */
function randomVersion(next: () => number): string {
  const core = `${Math.floor(next() * 4)}.${Math.floor(next() * 12)}.${Math.floor(next() * 12)}`;
  const kind = next();
  if (kind < 0.15) return `${core}-beta.${Math.floor(next() * 5)}`;
  if (kind < 0.25) return `${core}-rc${Math.floor(next() * 5)}`;
  if (kind < 0.3) return `${core}+build.${Math.floor(next() * 9)}`;
  return core;
}

async function randomHistory(id: string, seed: number, operations: number): Promise<void> {
  const next = seededRandom(seed);
  const lowerId = id.toLowerCase();
  const present = new Map<string, ReturnType<typeof versionRecord>>();
  for (let step = 0; step < operations; step++) {
    const at = new Date(NOW.getTime() + step * 1000);
    if (present.size < 20 || next() < 0.7) {
      const version = randomVersion(next);
      const record = versionRecord(id, version, { created: at.toISOString(), published: at.toISOString() });
      if (present.has(record.lowerVersion)) continue;
      await insertVersion(env.DB, record, null, at);
      present.set(record.lowerVersion, record);
    } else {
      const versions = [...present.values()];
      const record = versions[Math.floor(next() * versions.length)]!;
      const changed = { ...record, listed: !record.listed };
      await updateListing(env.DB, changed, at);
      present.set(record.lowerVersion, changed);
    }
    const { settled } = await rebuildDocuments(env, lowerId);
    expect(settled).toBe(true);
  }
}

describe('incremental documents', () => {
  for (const [seed, operations] of [
    [1, 260],
    [2, 320],
  ] as const) {
    it(`equal a rebuild from D1 after ${operations} random changes (seed ${seed})`, async () => {
      const id = `Random.History${seed}`;
      await randomHistory(id, seed, operations);
      const lowerId = id.toLowerCase();
      const incremental = await storedDocuments(lowerId);
      const rebuilt = await documentsFromD1(lowerId);
      expect([...incremental.keys()].sort()).toEqual([...rebuilt.keys()].sort());
      for (const [name, text] of rebuilt) expect(incremental.get(name), name).toBe(text);
      // Past 128 versions the indexes hold stubs: the histories must reach it to test paging.
      expect([...rebuilt.keys()].some((name) => name.includes('/page/'))).toBe(true);
      await expectRegistrationShape(lowerId);
    }, 120_000);
  }
});
