/** GET the VulnerabilityInfo index and pages (protocol §8.1), read from D1 on each request. */
import type { IRequest } from 'itty-router';
import type { Env } from '../env';
import { parseVulnerabilityPage } from '../linkParams';
import { feedLinks, originOf } from '../links';
import * as vulnerabilities from '../nuget/vulnerabilities';
import { fail, failureResponse } from '../problems';
import { jsonResponse } from '../respond';
import { pageAdvisories, vulnerabilityPages } from '../store/advisories';

export async function vulnerabilityIndex(request: IRequest, env: Env): Promise<Response> {
  const pages = await vulnerabilityPages(env.DB);
  return jsonResponse(vulnerabilities.vulnerabilityIndex(feedLinks(originOf(request)), pages));
}

export async function vulnerabilityPage(request: IRequest, env: Env): Promise<Response> {
  const name = parseVulnerabilityPage(request.params);
  if (!vulnerabilities.isVulnerabilityPage(name)) {
    return failureResponse(fail('notFound', `There is no vulnerability page ${name}.`));
  }
  return jsonResponse(vulnerabilities.vulnerabilityPage(await pageAdvisories(env.DB, name)));
}
