/**
 * The download counter's own steps (src/downloadCounter.ts): a count touches no storage, an alarm
 * within a second saves the tally, the flush it schedules adds storage's counts to D1, and counts
 * that arrive meanwhile are kept for the next one. Its objects run in workerd with real storage
 * and real (local) D1.
 */
import { abortAllDurableObjects, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { type DownloadCounter, downloadCounterOf } from '../src/downloadCounter';
import { insertVersionStatements } from '../src/store/packages';
import { versionRecord } from './support/records';

/** A package of one version 1.0.0 with a D1 row, and its counter (each test's id has a shard of its own). */
async function counted(id: string): Promise<DurableObjectStub<DownloadCounter>> {
  await env.DB.batch(insertVersionStatements(env.DB, versionRecord(id, '1.0.0')));
  return downloadCounterOf(env.DOWNLOADS, id.toLowerCase());
}

async function downloadsInD1(lowerId: string): Promise<number> {
  const row = await env.DB.prepare('SELECT downloads FROM package_versions WHERE lower_id = ?')
    .bind(lowerId)
    .first<{ downloads: number }>();
  return row?.downloads ?? -1;
}

/** What the counter's storage holds: its saved counts and its alarm. */
function stored(counter: DurableObjectStub<DownloadCounter>) {
  return runInDurableObject(counter, async (_, state) => ({
    counts: Object.fromEntries(state.storage.kv.list<number>()),
    alarm: await state.storage.getAlarm(),
  }));
}

/** Runs the counter's alarms until none is left. */
async function drain(counter: DurableObjectStub<DownloadCounter>): Promise<void> {
  for (let i = 0; i < 10 && (await runDurableObjectAlarm(counter)); i++);
}

async function count(counter: DurableObjectStub<DownloadCounter>, lowerId: string, times: number): Promise<void> {
  for (let i = 0; i < times; i++) await counter.count(lowerId, '1.0.0');
}

describe('download counter', () => {
  it('saves counts within a second, flushes them to D1 at the flush the first save set, across two saves', async () => {
    const counter = await counted('Saved.Twice');
    // A new object flushes at its first alarm (it cannot know what a predecessor stored).
    await count(counter, 'saved.twice', 2);
    expect(await runDurableObjectAlarm(counter)).toBe(true);
    expect(await downloadsInD1('saved.twice')).toBe(2);

    const before = Date.now();
    await count(counter, 'saved.twice', 3);
    const counting = await stored(counter);
    expect(counting.counts).toEqual({});
    expect(counting.alarm).toBeGreaterThanOrEqual(before);
    expect(counting.alarm).toBeLessThanOrEqual(Date.now() + 1_000);

    expect(await runDurableObjectAlarm(counter)).toBe(true);
    const saved = await stored(counter);
    expect(saved.counts).toEqual({ 'saved.twice/1.0.0': 3 });
    expect(saved.alarm).toBeGreaterThan(Date.now() + 20_000);
    expect(await downloadsInD1('saved.twice')).toBe(2);

    // A later count brings the alarm forward for its save, and the save adds to what is stored.
    await count(counter, 'saved.twice', 1);
    expect((await stored(counter)).alarm).toBeLessThanOrEqual(Date.now() + 1_000);
    expect(await runDurableObjectAlarm(counter)).toBe(true);
    expect(await stored(counter)).toEqual({ counts: { 'saved.twice/1.0.0': 4 }, alarm: saved.alarm });

    expect(await runDurableObjectAlarm(counter)).toBe(true);
    expect(await downloadsInD1('saved.twice')).toBe(6);
    expect(await stored(counter)).toEqual({ counts: {}, alarm: null });
  });

  it('keeps counts that arrive while a flush writes D1, for the next flush', async () => {
    const counter = await counted('During.Flush');
    await count(counter, 'during.flush', 2);
    await runInDurableObject(counter, async (object) => {
      const instance = object as unknown as DownloadCounter; // its env type is narrower than the tests' Env
      const flushing = instance.alarm();
      // The alarm is now waiting on its D1 batch, which holds the first two counts.
      instance.count('during.flush', '1.0.0');
      instance.count('during.flush', '1.0.0');
      await flushing;
    });
    expect(await downloadsInD1('during.flush')).toBe(2);
    await drain(counter); // a save, then the flush it scheduled
    expect(await downloadsInD1('during.flush')).toBe(4);
  });

  it('keeps saved counts when the object restarts: only the last second of counts is at risk', async () => {
    const counter = await counted('Restarted.Counter');
    await count(counter, 'restarted.counter', 1);
    await runDurableObjectAlarm(counter); // a new object's first alarm: straight to D1
    await count(counter, 'restarted.counter', 2);
    await runDurableObjectAlarm(counter); // saved, not yet flushed
    await count(counter, 'restarted.counter', 1); // in memory only
    await abortAllDurableObjects();
    const restarted = downloadCounterOf(env.DOWNLOADS, 'restarted.counter'); // the old stub is broken
    await drain(restarted);
    // The saved two reached D1; the one count not yet saved went with the object (the header's window).
    expect(await downloadsInD1('restarted.counter')).toBe(3);
  });
});
