/**
 * GET /packages/{id}/{version} and /packages/{id}/{version}/report: the web pages the client's
 * PackageDetailsUriTemplate and ReportAbuseUriTemplate point at (protocol §8.3). The client fills
 * in the id as it knows it and the version it has, so any casing and any parseable form is accepted.
 */
import type { IRequest } from 'itty-router';
import type { Env } from '../env';
import { parsePackageDetails } from '../linkParams';
import { feedLinks, originOf } from '../links';
import { missingPackageHtml, packageDetailsHtml, reportAbuseHtml } from '../nuget/packageDetails';
import { lowerId } from '../nuget/packageId';
import type { PackageVersionRecord } from '../nuget/types';
import { lowerVersion, parseVersion } from '../nuget/version';
import { type Failure, fail, failureStatus, isFailure } from '../problems';
import { findVersion } from '../store/packages';

function htmlResponse(html: string, status = 200): Response {
  return new Response(html, { status, headers: { 'Content-Type': 'text/html; charset=utf-8' } });
}

function failurePage(f: Failure): Response {
  const heading = f.failure === 'notFound' ? 'Package not found' : 'Bad package address';
  return htmlResponse(missingPackageHtml(heading, f.message), failureStatus(f));
}

async function findPackage(request: IRequest, env: Env): Promise<PackageVersionRecord | Failure> {
  const named = parsePackageDetails(request.params);
  if (isFailure(named)) return named;
  const { id, version: text } = named;
  const version = parseVersion(text);
  if (version === null) return fail('badRequest', `'${text}' is not a valid NuGet version.`);
  const record = await findVersion(env.DB, lowerId(id), lowerVersion(version));
  return record ?? fail('notFound', `This feed has no package ${id} ${text}.`);
}

export async function packageDetailsPage(request: IRequest, env: Env): Promise<Response> {
  const found = await findPackage(request, env);
  if (isFailure(found)) return failurePage(found);
  return htmlResponse(packageDetailsHtml(feedLinks(originOf(request)), found));
}

export async function reportAbusePage(request: IRequest, env: Env): Promise<Response> {
  const found = await findPackage(request, env);
  if (isFailure(found)) return failurePage(found);
  return htmlResponse(reportAbuseHtml(feedLinks(originOf(request)), found, env.REPORT_ABUSE_EMAIL || null));
}
