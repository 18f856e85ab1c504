/**
 * XML text for the V2 feed's Atom documents: escaping, and the namespaces OData v2 (WCF Data
 * Services) uses, which NuGet.Protocol and PackageManagement look elements up by.
 */

export const ATOM_NS = 'http://www.w3.org/2005/Atom';
export const DATA_NS = 'http://schemas.microsoft.com/ado/2007/08/dataservices';
export const METADATA_NS = 'http://schemas.microsoft.com/ado/2007/08/dataservices/metadata';
/** Every document starts with exactly these bytes: PackageManagement tells a V2 feed by `<?xml`. */
export const XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>';

/** Characters XML 1.0 cannot carry at all, even escaped. */
const NOT_XML = /[^\t\n\r -\ufffd]/g;

/** Text content and attribute values alike: quotes escaped too. */
export function escapeXml(text: string): string {
  return text
    .replace(NOT_XML, '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

/** The namespace declarations of a feed's or a lone entry's root element. */
export function rootNamespaces(base: string): string {
  return `xml:base="${escapeXml(base)}" xmlns="${ATOM_NS}" xmlns:d="${DATA_NS}" xmlns:m="${METADATA_NS}"`;
}
