/**
 * GET /packages/{id}, /packages/{id}/{version} and /packages/{id}/{version}/report: a package's
 * gallery page (src/gallery/packagePage.ts) and its report page. The version pages are also what
 * the client's PackageDetailsUriTemplate and ReportAbuseUriTemplate point at (protocol §8.3); the
 * client fills in the id as it knows it and the version it has, so any casing and any parseable
 * form is accepted. Reads D1 and, for the README, R2; writes nothing.
 */
import type { IRequest } from 'itty-router';
import type { Env } from '../env';
import { packagePageHtml } from '../gallery/packagePage';
import { reportAbuseHtml } from '../gallery/statusPages';
import { parsePackageDetails, parsePackagePage } from '../linkParams';
import { lowerId } from '../nuget/packageId';
import type { PackageVersionRecord } from '../nuget/types';
import { lowerVersion, parseVersion } from '../nuget/version';
import { type Failure, fail, isFailure } from '../problems';
import { findVersion } from '../store/packages';
import { nuspecExtras } from '../gallery/nuspecExtras';
import { nuspecBytes, packageFileText, readmeText } from '../store/versionTexts';
import { latestShownVersion, listedIds, versionSummaries } from '../store/searchGallery';
import { versionMarks } from '../store/galleryAdvisories';
import { galleryContext, htmlPage, missingPage } from './pageResponse';

/** Versions in the table: enough for any id's history a person reads; the rest stay reachable by URL. */
const VERSIONS_SHOWN = 200;
/** A longer license file is not shown on the page; it stays in the package (the page says so). */
const MAX_LICENSE_BYTES = 256 * 1024;

async function findPackage(request: IRequest, env: Env): Promise<PackageVersionRecord | Failure> {
  const named = parsePackageDetails(request.params);
  if (isFailure(named)) return named;
  const { id, version: text } = named;
  const version = parseVersion(text);
  if (version === null) return fail('badRequest', `'${text}' is not a valid NuGet version.`);
  const record = await findVersion(env.DB, lowerId(id), lowerVersion(version));
  return record ?? fail('notFound', `This feed has no package ${id} ${text}.`);
}

async function findLatest(request: IRequest, env: Env): Promise<PackageVersionRecord | Failure> {
  const named = parsePackagePage(request.params);
  if (isFailure(named)) return named;
  const latest = await latestShownVersion(env.DB, lowerId(named.id));
  const record = latest === null ? null : await findVersion(env.DB, lowerId(named.id), latest);
  return record ?? fail('notFound', `This feed has no package ${named.id}.`);
}

/** What a 404's search box starts with: the id that was asked for, when it can be read. */
function askedId(request: IRequest): string {
  const named = parsePackagePage(request.params);
  return isFailure(named) ? '' : named.id;
}

async function pageOf(request: IRequest, env: Env, found: PackageVersionRecord | Failure): Promise<Response> {
  const ctx = galleryContext(request, env);
  if (isFailure(found)) return missingPage(ctx, found, askedId(request));
  const dependencyIds = found.dependencyGroups.flatMap((g) => g.dependencies.map((d) => lowerId(d.id)));
  const alternate = found.deprecation?.alternatePackage;
  // The alternate package is linked only when the feed has it, so it rides on the dependencies' look-up.
  const linkedIds = alternate ? [...dependencyIds, lowerId(alternate.id)] : dependencyIds;
  const [table, marks, readme, dependenciesOnFeed, nuspec] = await Promise.all([
    versionSummaries(env.DB, found.lowerId, VERSIONS_SHOWN),
    versionMarks(env.DB, found.lowerId, VERSIONS_SHOWN),
    found.hasReadme ? readmeText(env.PACKAGES, found) : null,
    listedIds(env.DB, linkedIds),
    nuspecBytes(env.PACKAGES, found),
  ]);
  const { repository, licenseFile } = nuspecExtras(nuspec);
  const licenseText = licenseFile ? await packageFileText(env.PACKAGES, found, licenseFile, MAX_LICENSE_BYTES) : null;
  const html = packagePageHtml(ctx, {
    record: found,
    versions: table.versions,
    totalVersions: table.total,
    totalDownloads: table.totalDownloads,
    readme,
    dependenciesOnFeed,
    extras: { repository, licenseFile, licenseText },
    marks,
  });
  return htmlPage(request, html);
}

export async function packageDetailsPage(request: IRequest, env: Env): Promise<Response> {
  return pageOf(request, env, await findPackage(request, env));
}

export async function packageLatestPage(request: IRequest, env: Env): Promise<Response> {
  return pageOf(request, env, await findLatest(request, env));
}

export async function reportAbusePage(request: IRequest, env: Env): Promise<Response> {
  const found = await findPackage(request, env);
  const ctx = galleryContext(request, env);
  if (isFailure(found)) return missingPage(ctx, found, askedId(request));
  return htmlPage(request, reportAbuseHtml(ctx, found, env.REPORT_ABUSE_EMAIL || null));
}
