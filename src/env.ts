import type { DownloadCounter } from './downloadCounter';

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
}
