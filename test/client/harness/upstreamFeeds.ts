/**
 * Two real feeds for the pull-through upstream tests: an upstream EdgeGet behind a counting relay
 * (devkit/relay.mjs) and a downstream EdgeGet whose UPSTREAM_URL is the relay, with a workspace
 * whose NuGet.Config names the downstream alone.
 */
import { afterAll, beforeAll } from 'vitest';
import { type Feed, startFeed } from '../../../devkit/feed.mjs';
import { buildNupkg, multipartBody, type NupkgSpec } from '../../../devkit/nupkg.mjs';
import { type Relay, startRelay } from '../../../devkit/relay.mjs';
import { createWorkspace, type Workspace } from './workspace';

export interface UpstreamFeeds {
  readonly upstream: Feed;
  readonly relay: Relay;
  readonly downstream: Feed;
  readonly ws: Workspace;
}

export function useUpstreamFeeds(label: string, vars: Record<string, string>): UpstreamFeeds {
  const feeds = {} as { upstream: Feed; relay: Relay; downstream: Feed; ws: Workspace };
  beforeAll(async () => {
    feeds.upstream = await startFeed({ apiKey: 'upstream-key' });
    feeds.relay = await startRelay(feeds.upstream.origin);
    feeds.downstream = await startFeed({
      apiKey: 'downstream-key',
      vars: { UPSTREAM_URL: feeds.relay.source, ...vars },
    });
    feeds.ws = createWorkspace(feeds.downstream, label);
  });
  afterAll(async () => {
    await feeds.downstream?.stop();
    await feeds.relay?.stop();
    await feeds.upstream?.stop();
    feeds.ws?.dispose();
  });
  return feeds;
}

/** Pushes a .nupkg's bytes as `dotnet nuget push` sends them; the response, to assert on. */
export function pushBytes(feed: Feed, bytes: Uint8Array): Promise<Response> {
  const { body, contentType } = multipartBody(bytes);
  return fetch(`${feed.origin}/api/v2/package`, {
    method: 'PUT',
    headers: { 'X-NuGet-ApiKey': feed.apiKey, 'Content-Type': contentType },
    body: new Blob([body as Uint8Array<ArrayBuffer>]),
  });
}

/** Builds and pushes a generated package, failing the test unless the feed took it; its bytes. */
export async function pushGenerated(feed: Feed, spec: NupkgSpec): Promise<Uint8Array> {
  const bytes = buildNupkg(spec);
  const response = await pushBytes(feed, bytes);
  if (response.status !== 201)
    throw new Error(`push ${spec.id} ${spec.version} → ${response.status} ${response.statusText}`);
  return bytes;
}

export async function getFrom(feed: Feed, path: string, init?: RequestInit): Promise<Response> {
  return fetch(`${feed.origin}${path}`, init);
}
