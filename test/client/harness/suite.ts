/** Per-file setup for the client suite: one `wrangler dev`, one workspace, one packer; and the push command. */
import { afterAll, beforeAll } from 'vitest';
import type { DotnetResult } from './dotnet';
import { startFeed, type Feed } from '../../../devkit/feed.mjs';
import { createPacker, type Packer } from './projects';
import { createWorkspace, SOURCE_NAME, type Workspace } from './workspace';

export interface ClientContext {
  readonly feed: Feed;
  readonly ws: Workspace;
  readonly packer: Packer;
}

/**
 * Registers beforeAll/afterAll in the calling describe block; the returned object is filled in by
 * beforeAll (read its fields inside tests or later hooks only). Set EDGEGET_KEEP_CLIENT_TEMP=1 to keep the temp dir.
 */
export function useClientFeed(label: string): ClientContext {
  const context = {} as { feed: Feed; ws: Workspace; packer: Packer };
  beforeAll(async () => {
    context.feed = await startFeed({ apiKey: 'client-test-key' });
    context.ws = createWorkspace(context.feed, label);
    context.packer = createPacker(context.ws);
  });
  afterAll(async () => {
    await context.feed?.stop();
    if (process.env.EDGEGET_KEEP_CLIENT_TEMP) console.log(`[client suite] kept ${context.ws?.root}`);
    else context.ws?.dispose();
  });
  return context;
}

export interface PushOptions {
  /** API key to send; default the feed's key; null = none. */
  apiKey?: string | null;
  skipDuplicate?: boolean;
}

/** `dotnet nuget push <path> --source edgeget`; path may be a wildcard (`dir/*.nupkg`). */
export function push(ctx: ClientContext, path: string, options: PushOptions = {}): Promise<DotnetResult> {
  const key = options.apiKey === undefined ? ctx.feed.apiKey : options.apiKey;
  const args = ['nuget', 'push', path, '--source', SOURCE_NAME];
  if (key !== null) args.push('--api-key', key);
  if (options.skipDuplicate) args.push('--skip-duplicate');
  return ctx.ws.run(args);
}
