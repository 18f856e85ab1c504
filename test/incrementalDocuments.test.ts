/**
 * Issue 12: a change rewrites only the documents it changes, and what it leaves behind is exactly
 * what a rebuild from D1 writes. Random sequences of pushes (including versions below and between
 * existing ones), unlists and relists, each followed by the rebuild a real change runs (only the
 * documents stamped since its generation), are compared with the documents built from every
 * version row into an empty namespace. Those are summed up here from the rows, not read from
 * registration_pages' summaries, which the changes keep incrementally and are checked on their own.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { documentsOf, documentText } from '../src/documents/plan';
import { rebuildDocuments } from '../src/documents/rebuild';
import { insertVersion, updateListing } from '../src/store/packages';
import { convergePageSummaries } from '../src/store/registrationPages';
import { pageRecords, registrationSnapshot } from '../src/store/registrationReads';
import { compareVersions, parseVersion } from '../src/nuget/version';
import { seededRandom } from '../devkit/random.mjs';
import { buildLayout } from './nuget/registrationFixtures';
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

/** Every document built from D1's version rows and page stamps alone: what a rebuild into an empty KV writes. */
async function documentsFromD1(lowerId: string): Promise<Map<string, string>> {
  const read = await registrationSnapshot(env.DB, lowerId, false);
  if (!read) return new Map();
  const stamps = await env.DB.prepare('SELECT * FROM registration_pages WHERE lower_id = ?').bind(lowerId).all<{
    page: number;
    semver1_generation: number;
    semver2_generation: number;
  }>();
  const rows = await env.DB.prepare('SELECT lower_version, registration_page FROM package_versions WHERE lower_id = ?')
    .bind(lowerId)
    .all<{ lower_version: string; registration_page: number }>();
  const pageOfVersion = new Map(rows.results.map((row) => [row.lower_version, row.registration_page]));
  const { records, catalogLeaves } = await pageRecords(env.DB, lowerId, [...new Set(pageOfVersion.values())]);
  const ordered = [...records.values()].sort((a, b) =>
    compareVersions(parseVersion(a.version)!, parseVersion(b.version)!),
  );
  const { layout, content } = buildLayout(read.layout.registration, ordered, {
    pageOf: (rank) => pageOfVersion.get(ordered[rank]!.lowerVersion)!,
    generations: Object.fromEntries(
      stamps.results.map((row) => [row.page, { semver1: row.semver1_generation, semver2: row.semver2_generation }]),
    ),
    catalogLeaves,
  });
  const target = documentsOf(layout);
  return new Map([...target.documents].map(([name, doc]) => [name, documentText(doc, layout, content)]));
}

/** registration_pages as the changes left it. */
const pageRows = async (lowerId: string) =>
  (await env.DB.prepare('SELECT * FROM registration_pages WHERE lower_id = ? ORDER BY page').bind(lowerId).all())
    .results;

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
  let generation = 0;
  for (let step = 0; step < operations; step++) {
    const at = new Date(NOW.getTime() + step * 1000);
    if (present.size < 20 || next() < 0.7) {
      const version = randomVersion(next);
      const record = versionRecord(id, version, { created: at.toISOString(), published: at.toISOString() });
      if (present.has(record.lowerVersion)) continue;
      generation = await insertVersion(env.DB, record, null, at);
      present.set(record.lowerVersion, record);
    } else {
      const versions = [...present.values()];
      const record = versions[Math.floor(next() * versions.length)]!;
      const changed = { ...record, listed: !record.listed };
      generation = await updateListing(env.DB, changed, at);
      present.set(record.lowerVersion, changed);
    }
    const { settled } = await rebuildDocuments(env, lowerId, { since: generation });
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
      // The summaries the changes kept are what summing every page up from its rows gives.
      const kept = await pageRows(lowerId);
      await convergePageSummaries(env.DB, lowerId, lowerId);
      expect(await pageRows(lowerId)).toEqual(kept);
    }, 120_000);
  }
});
