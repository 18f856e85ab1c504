/** GET the VulnerabilityInfo index and pages (protocol §8.1). */
import type { IRequest } from 'itty-router';
import { parseVulnerabilityPage } from '../linkParams';
import { feedLinks, originOf } from '../links';
import * as vulnerabilities from '../nuget/vulnerabilities';
import { fail, failureResponse } from '../problems';
import { jsonResponse } from '../respond';

export function vulnerabilityIndex(request: IRequest): Response {
  return jsonResponse(vulnerabilities.vulnerabilityIndex(feedLinks(originOf(request))));
}

/** The feed holds no advisory data yet: its one page is empty. */
export function vulnerabilityPage(request: IRequest): Response {
  const name = parseVulnerabilityPage(request.params);
  if (name !== vulnerabilities.BASE_PAGE.name) {
    return failureResponse(fail('notFound', `There is no vulnerability page ${name}.`));
  }
  return jsonResponse(vulnerabilities.vulnerabilityPage([]));
}
