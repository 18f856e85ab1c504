/** The report-abuse page (protocol §8.3 ReportAbuseUriTemplate) and the pages of a package URL that names nothing. */
import type { PackageVersionRecord } from '../nuget/types';
import { escapeHtml, link } from './html';
import { type GalleryContext, galleryPage, searchForm } from './layout';

/** A contact link for abuse reports when the operator configured one; otherwise say there is none. */
export function reportAbuseHtml(ctx: GalleryContext, r: PackageVersionRecord, contactEmail: string | null): string {
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
    `<p>${link(ctx.links.packageDetails(r.id, r.version), `Back to ${r.id} ${r.version}`)}</p>`,
  ];
  return galleryPage(ctx, { title: subject, description: subject, body: body.join('\n') });
}

/** A 404 (nothing there) or 400 (an address that cannot be read), with a search box to go on from. */
export function missingPageHtml(ctx: GalleryContext, heading: string, message: string, query: string): string {
  const body = `<div class="missing">
<h1>${escapeHtml(heading)}</h1>
<p>${escapeHtml(message)}</p>
${searchForm(ctx, query, 'missing-q')}
<p>${link(ctx.links.home, `Back to ${ctx.feedName}`)}</p>
</div>`;
  return galleryPage(ctx, { title: `${heading} · ${ctx.feedName}`, description: message, body, headerSearch: false });
}
