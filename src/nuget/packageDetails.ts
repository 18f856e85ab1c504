/**
 * The web pages behind PackageDetailsUriTemplate and ReportAbuseUriTemplate (protocol §8.3),
 * also the `readmeUrl` target (§4.6). Browsers open them from Visual Studio and the CLI; the
 * client never fetches them itself. Every string from a package is escaped before it is written.
 */
import type { FeedLinks } from '../links';
import { parseRange, prettyPrintRange } from './range';
import type { DependencyGroup, PackageVersionRecord } from './types';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Only http(s) URLs become links: a nuspec URL is untrusted and could be `javascript:`. */
function safeHref(url: string): string | null {
  return /^https?:\/\//i.test(url.trim()) ? url.trim() : null;
}

function link(href: string, text: string): string {
  return `<a href="${escapeHtml(href)}">${escapeHtml(text)}</a>`;
}

function urlOrText(url: string): string {
  const href = safeHref(url);
  return href ? link(href, url) : escapeHtml(url);
}

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;line-height:1.5}
pre{background:#f4f4f4;padding:.75rem;overflow-x:auto}dt{font-weight:600}.unlisted{color:#a40}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

/** The version a user types: normalized, without build metadata (§9.2). */
function installVersion(r: PackageVersionRecord): string {
  return r.version.split('+')[0] ?? r.version;
}

function rangeText(range: string): string {
  const parsed = range ? parseRange(range) : null;
  const pretty = parsed ? prettyPrintRange(parsed) : '';
  return pretty || (range ? range : 'any version');
}

function dependencies(groups: DependencyGroup[]): string {
  const nonEmpty = groups.filter((g) => g.dependencies.length > 0 || g.targetFramework);
  if (nonEmpty.length === 0) return '<p>This package has no dependencies.</p>';
  return nonEmpty
    .map((g) => {
      const items = g.dependencies.map((d) => `<li>${escapeHtml(d.id)} ${escapeHtml(rangeText(d.range))}</li>`);
      const list = items.length > 0 ? `<ul>\n${items.join('\n')}\n</ul>` : '<p>No dependencies.</p>';
      return `<h3>${escapeHtml(g.targetFramework ?? 'Any target framework')}</h3>\n${list}`;
    })
    .join('\n');
}

function license(r: PackageVersionRecord): string | null {
  if (r.licenseExpression) return escapeHtml(r.licenseExpression);
  if (r.licenseUrl) return urlOrText(r.licenseUrl);
  return null;
}

function facts(r: PackageVersionRecord): string {
  const rows: [string, string | null][] = [
    ['Id', escapeHtml(r.id)],
    ['Version', escapeHtml(r.version)],
    ['Authors', r.authors ? escapeHtml(r.authors) : null],
    ['Tags', r.tags.trim() ? escapeHtml(r.tags.trim().split(/\s+/).join(', ')) : null],
    ['License', license(r)],
    ['Project', r.projectUrl ? urlOrText(r.projectUrl) : null],
    ['Copyright', r.copyright ? escapeHtml(r.copyright) : null],
    ['Published', r.listed ? escapeHtml(r.published) : null],
    ['Size', `${r.packageSize} bytes`],
  ];
  const shown = rows.filter((row): row is [string, string] => row[1] !== null);
  return `<dl>\n${shown.map(([term, value]) => `<dt>${term}</dt><dd>${value}</dd>`).join('\n')}\n</dl>`;
}

export function packageDetailsHtml(links: FeedLinks, r: PackageVersionRecord): string {
  const heading = r.title || r.id;
  const files = [link(links.packageContent(r.lowerId, r.lowerVersion), `Download ${r.id}.${installVersion(r)}.nupkg`)];
  files.push(link(links.reportAbuse(r.id, r.version), 'Report this package'));
  const body = [
    `<h1>${escapeHtml(heading)} <small>${escapeHtml(r.version)}</small></h1>`,
    r.listed
      ? ''
      : '<p class="unlisted"><strong>Unlisted:</strong> this version is hidden from search but can still be restored by exact version.</p>',
    r.summary ? `<p><em>${escapeHtml(r.summary)}</em></p>` : '',
    `<p>${escapeHtml(r.description)}</p>`,
    '<h2>Install</h2>',
    `<pre><code>dotnet add package ${escapeHtml(r.id)} --version ${escapeHtml(installVersion(r))}</code></pre>`,
    '<h2>About</h2>',
    facts(r),
    '<h2>Dependencies</h2>',
    dependencies(r.dependencyGroups),
    r.releaseNotes ? `<h2>Release notes</h2>\n<pre>${escapeHtml(r.releaseNotes)}</pre>` : '',
    // This page is also the registration's readmeUrl (§4.6); the raw Markdown is the ReadmeUriTemplate file (§8.2).
    r.hasReadme
      ? `<h2 id="readme">README</h2>\n<p>${link(links.readme(r.lowerId, r.lowerVersion), 'Read the README (Markdown)')}</p>`
      : '',
    `<h2 id="files">Files</h2>\n<ul>\n${files.map((f) => `<li>${f}</li>`).join('\n')}\n</ul>`,
  ];
  return page(`${r.id} ${r.version}`, body.filter((part) => part !== '').join('\n'));
}

/** A contact link for abuse reports when the operator configured one; otherwise say there is none. */
export function reportAbuseHtml(links: FeedLinks, r: PackageVersionRecord, contactEmail: string | null): string {
  const subject = `Report abuse: ${r.id} ${r.version}`;
  const contact = contactEmail
    ? `<p>To report abuse, a security problem or a licensing violation in this package, write to ${link(
        `mailto:${encodeURI(contactEmail)}?subject=${encodeURIComponent(subject)}`,
        contactEmail,
      )}. Please say what you found and where.</p>`
    : "<p>This feed's operator has not configured a contact for abuse reports. Contact the operator of this feed through the channel you were given to use it.</p>";
  const body = [
    `<h1>Report ${escapeHtml(r.id)} ${escapeHtml(r.version)}</h1>`,
    contact,
    `<p>${link(links.packageDetails(r.id, r.version), `Back to ${r.id} ${r.version}`)}</p>`,
  ];
  return page(subject, body.join('\n'));
}

/** Status pages for a package URL that names nothing (404) or cannot be read (400). */
export function missingPackageHtml(heading: string, message: string): string {
  return page(heading, `<h1>${escapeHtml(heading)}</h1>\n<p>${escapeHtml(message)}</p>`);
}
