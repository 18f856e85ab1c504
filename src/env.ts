/** The Worker's bindings, declared once (wrangler.toml). Passed explicitly; never mutated. */
export interface Env {
  /** Source of truth: package rows, search index, catalog. */
  DB: D1Database;
  /** Immutable blobs: .nupkg, .nuspec, readme, icon, .snupkg. */
  PACKAGES: R2Bucket;
  /** Derived pages (registration, flat container version lists), always rebuildable from DB. */
  PAGES: KVNamespace;
  /** Shared push key (secret). Unset ⇒ pushes are refused with 401. */
  NUGET_API_KEY?: string;
  /** Largest accepted .nupkg in bytes (var, decimal string). */
  MAX_PACKAGE_BYTES?: string;
  /** Where the report-abuse page (protocol §8.3) sends reports (var). Unset ⇒ the page says no contact is configured. */
  REPORT_ABUSE_EMAIL?: string;
}
