import type { DownloadCounter } from './downloadCounter';
import type { UpstreamCache } from './upstreamCache';

/** The Worker's bindings, declared once (wrangler.toml). Passed explicitly; never mutated. */
export interface Env {
  /** Source of truth: package rows, search index, catalog. */
  DB: D1Database;
  /** Immutable blobs: .nupkg, .nuspec, readme, icon, .snupkg. */
  PACKAGES: R2Bucket;
  /** Derived documents (registration indexes and pages, flat container version lists), always rebuildable from DB. */
  PAGES: KVNamespace;
  /** Download counts on their way to DB, batched off the request path (src/downloadCounter.ts). */
  DOWNLOADS: DurableObjectNamespace<DownloadCounter>;
  /** The pull-through upstream's cache, one object per id plus one feed-wide (src/upstreamCache.ts). */
  UPSTREAM: DurableObjectNamespace<UpstreamCache>;
  /** The bootstrap admin key (secret): every scope, and the only key that manages keys (docs/auth.md). */
  NUGET_API_KEY?: string;
  /** "true" ⇒ every read needs HTTP Basic credentials: a read token or API key as the password (var; docs/auth.md). */
  PRIVATE_FEED?: string;
  /** Largest accepted .nupkg in bytes (var, decimal string). */
  MAX_PACKAGE_BYTES?: string;
  /** Where the report-abuse page (protocol §8.3) sends reports (var). Unset ⇒ the page says no contact is configured. */
  REPORT_ABUSE_EMAIL?: string;
  /** The feed's name on its web gallery's pages (var). Unset ⇒ "EdgeGet". */
  FEED_NAME?: string;
  /** Trusted publishing: the one OIDC issuer whose tokens are exchanged for keys (var). Unset ⇒ GitHub Actions'. */
  OIDC_ISSUER?: string;
  /** The audience those tokens must name (var). Unset ⇒ the feed's origin, as the request reaches it. */
  OIDC_AUDIENCE?: string;
  /** Lifetime of a key issued for a token, in seconds, at most 3600 (var). Unset ⇒ 900. */
  TRUSTED_KEY_SECONDS?: string;
  /** Pull-through upstream (README "Using an upstream feed"): its V3 service index (var). Unset ⇒ no upstream. */
  UPSTREAM_URL?: string;
  /** How long an upstream version list or registration document is fresh, in seconds (var). Unset ⇒ 600. */
  UPSTREAM_VERSIONS_TTL?: string;
  /** Time limit of an upstream request, in seconds, 1 to 60 (var). Unset ⇒ 10. */
  UPSTREAM_TIMEOUT?: string;
  /** Comma-separated id patterns never looked up upstream, e.g. `Contoso.*` (var). */
  RESERVED_PREFIXES?: string;
  /** "true" ⇒ search and autocomplete add the upstream's results for ids that are not local (var). */
  UPSTREAM_SEARCH?: string;
  /** `user:token` sent to the upstream as HTTP Basic (secret: `wrangler secret put UPSTREAM_CREDENTIALS`). */
  UPSTREAM_CREDENTIALS?: string;
}
