/**
 * The package page's warnings about the version shown (issue 15): that its owner deprecated it
 * (why, their message, what to use instead) and which vulnerability advisories affect it. The
 * message and the advisory URLs are operator input: escaped like package metadata, and an
 * advisory URL becomes a link only when it is http(s).
 */
import type { FeedLinks } from '../links';
import { advisoriesAffecting, SEVERITY_NAMES } from '../nuget/advisory';
import type { Deprecation, DeprecationReason } from '../nuget/deprecation';
import { lowerId } from '../nuget/packageId';
import type { Advisory } from '../nuget/vulnerabilities';
import { escapeHtml, httpUrl, link } from './html';
import { rangeText } from './packageParts';

const REASON_WORDS: Record<DeprecationReason, string> = {
  Legacy: 'it is no longer maintained (legacy)',
  CriticalBugs: 'it has critical bugs',
  Other: 'for other reasons',
};

/** "a", "a and b", "a, b and c". */
function wordList(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

/** A severity's name; a stored value outside 0-3 is not trusted to index the names. */
export function severityName(severity: number): string {
  return SEVERITY_NAMES[severity] ?? 'unknown';
}

function alternateLine(links: FeedLinks, alternate: NonNullable<Deprecation['alternatePackage']>, onFeed: boolean) {
  // Like a dependency, an alternate the feed does not have is named, not linked to a 404.
  const name = onFeed ? link(links.packagePage(alternate.id), alternate.id) : escapeHtml(alternate.id);
  const range = alternate.range === '*' ? 'any version' : rangeText(alternate.range);
  return `<p>Use ${name} <span class="range">${escapeHtml(range)}</span> instead.</p>`;
}

/** The deprecation banner; '' for a version that is not deprecated. */
export function deprecationNotice(
  links: FeedLinks,
  deprecation: Deprecation | null,
  idsOnFeed: ReadonlySet<string>,
): string {
  if (!deprecation) return '';
  // The client reads a reason it does not know as Other; so does the page.
  const reasons = deprecation.reasons.map((reason) => REASON_WORDS[reason] ?? REASON_WORDS.Other);
  const why = wordList([...new Set(reasons.length > 0 ? reasons : [REASON_WORDS.Other])]);
  const alternate = deprecation.alternatePackage;
  return `<div class="notice notice-deprecated" role="note">
<p><strong>This version is deprecated:</strong> ${escapeHtml(why)}.</p>
${deprecation.message ? `<p class="notice-message">${escapeHtml(deprecation.message)}</p>\n` : ''}${
  alternate ? alternateLine(links, alternate, idsOnFeed.has(lowerId(alternate.id))) : ''
}
</div>`;
}

function advisoryLine(advisory: Advisory): string {
  const href = httpUrl(advisory.url);
  // The advisory's site learns nothing of which feed or page sent the reader.
  const target = href ? link(href, advisory.url, 'noopener noreferrer') : escapeHtml(advisory.url);
  const name = severityName(advisory.severity);
  const words = `${name.charAt(0).toUpperCase()}${name.slice(1)} severity`;
  return `<li><span class="severity severity-${name}">${words}</span>: ${target}</li>`;
}

/** The vulnerability banner for `version`; '' when no advisory affects it. */
export function advisoryNotice(version: string, advisories: readonly Advisory[]): string {
  const affecting = advisoriesAffecting(version, advisories).sort((a, b) => b.severity - a.severity);
  if (affecting.length === 0) return '';
  const what = affecting.length === 1 ? 'a known vulnerability' : `${affecting.length} known vulnerabilities`;
  return `<div class="notice notice-vulnerable" role="note">
<p><strong>This version has ${what}:</strong></p>
<ul class="advisories">${affecting.map(advisoryLine).join('')}</ul>
</div>`;
}
