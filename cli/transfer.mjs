/**
 * Moving packages between feeds, for `edgeget import` and `edgeget export`: the --concurrency
 * check, a pool of workers, the progress display, the closing summary, and the target's writes. The display goes to stderr, so stdout keeps only the
 * summary: a bar on a terminal, a plain line every few seconds elsewhere, since a CI log keeps
 * every redraw of a bar as a line of its own.
 */
import cliProgress from 'cli-progress';
import { CliError } from './feed.mjs';
import { failureOf, request } from './feedSource.mjs';

const PLAIN_LINE_EVERY_MS = 5000;

export function concurrencyOf(value) {
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1 || count > 16) {
    throw new CliError(`--concurrency ${value}: give a whole number from 1 to 16`);
  }
  return count;
}

/** Runs `work` on every item, at most `limit` at once. */
export async function pool(items, limit, work) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

const duration = (seconds) =>
  !Number.isFinite(seconds) ? '?' : seconds < 60 ? `${Math.ceil(seconds)} s` : `${Math.ceil(seconds / 60)} min`;

/** `tick()` after each item, `stop()` once at the end. */
export function progress(label, total, stream = process.stderr) {
  const started = Date.now();
  let done = 0;
  const rate = () => done / Math.max((Date.now() - started) / 1000, 0.001);
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream,
        format: `${label} [{bar}] {value}/{total} | {rate}/s | ETA {eta_formatted}`,
        hideCursor: true,
        etaBuffer: 50,
        fps: 5,
      },
      cliProgress.Presets.shades_classic,
    );
    // The bar hides the cursor and turns line wrap off until stopped: Ctrl-C must stop it too.
    const interrupted = () => {
      bar.stop();
      console.error('Interrupted: the same command again carries on where this one stopped.');
      process.exit(130);
    };
    process.once('SIGINT', interrupted);
    bar.start(total, 0, { rate: '0.0' });
    return {
      tick() {
        done++;
        bar.update(done, { rate: rate().toFixed(1) });
      },
      stop() {
        process.off('SIGINT', interrupted);
        bar.stop();
      },
    };
  }
  const line = () => {
    const eta = done === total ? '' : `, ETA ${duration((total - done) / rate())}`;
    stream.write(`${label}: ${done}/${total} (${rate().toFixed(1)}/s${eta})\n`);
  };
  const timer = setInterval(line, PLAIN_LINE_EVERY_MS);
  timer.unref();
  return {
    tick() {
      done++;
    },
    stop() {
      clearInterval(timer);
      line();
    },
  };
}

/** Outcomes by item: `done` (imported or exported), `skipped` (already present), `failed` ({ what, reason }). */
export const newTally = () => ({ done: [], skipped: [], failed: [] });

/** The summary on stdout; a failure makes the command exit non-zero, after saying that a rerun resumes. */
export function summarize(tally, verb, notes = []) {
  const { done, skipped, failed } = tally;
  console.log(`${verb} ${done.length}, skipped ${skipped.length} (already present), failed ${failed.length}.`);
  for (const note of notes) console.log(note);
  for (const { what, reason } of failed) console.log(`  failed  ${what}: ${reason}`);
  if (failed.length > 0) {
    const count = failed.length === 1 ? '1 failure' : `${failed.length} failures`;
    throw new CliError(`${count} (listed above); the same command again retries only what is missing`);
  }
}

/** One upload as `dotnet nuget push` sends it; true when created, false when the feed has it already (409). */
export async function push(feed, path, bytes) {
  const boundary = `edgeget-${crypto.randomUUID()}`;
  const head = `--${boundary}\r\nContent-Type: application/octet-stream\r\nContent-Disposition: form-data; name=package; filename=package.nupkg\r\n\r\n`;
  const body = Buffer.concat([Buffer.from(head), bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]);
  const headers = { 'X-NuGet-ApiKey': feed.adminKey, 'Content-Type': `multipart/form-data; boundary="${boundary}"` };
  const response = await request(`${feed.origin}${path}`, { method: 'PUT', headers, body });
  await response.arrayBuffer();
  if (response.status === 409 && path.endsWith('/package')) return false;
  if (!response.ok) throw new Error(`${path} answered ${failureOf(response)}`);
  return true;
}

/** Unlists (DELETE) or relists (POST) a version on the target. */
export async function setListed(feed, lowerId, version, listed) {
  const url = `${feed.origin}/api/v2/package/${lowerId}/${version}`;
  const response = await request(url, {
    method: listed ? 'POST' : 'DELETE',
    headers: { 'X-NuGet-ApiKey': feed.adminKey },
  });
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`${listed ? 'relisting' : 'unlisting'} answered ${failureOf(response)}`);
}
