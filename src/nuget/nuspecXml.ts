/**
 * A .nuspec's bytes → its <metadata> element, parsed safely (docs/platform.md §7), and the few accessors
 * the manifest readers use on the parsed tree. Elements are matched by local name, namespaces ignored, names
 * case-sensitive (protocol §10.2).
 */
import { XMLParser } from 'fast-xml-parser';
import { fail, isFailure, type Failure } from '../problems';

/** nuget.org's cap; also bounds the parser's work. */
export const MAX_NUSPEC_BYTES = 1024 * 1024;

const ATTRIBUTE = '@';
const TEXT = '#text';

const invalid = (why: string): Failure =>
  fail('badRequest', `The nuspec is not valid XML: ${why.replace(/\.+$/, '')}.`);

function utf16(bytes: Uint8Array, littleEndian: boolean): string {
  const units = new Uint16Array(bytes.length >> 1);
  for (let i = 0; i < units.length; i++) {
    const [a, b] = [bytes[2 * i]!, bytes[2 * i + 1]!];
    units[i] = littleEndian ? a | (b << 8) : (a << 8) | b;
  }
  const pieces: string[] = [];
  for (let at = 0; at < units.length; at += 4096) pieces.push(String.fromCharCode(...units.subarray(at, at + 4096)));
  return pieces.join('');
}

/** XML 1.0 §4.3.3 / Appendix F: a byte order mark names UTF-16; otherwise UTF-8 (with or without its BOM). */
function decode(bytes: Uint8Array): string | Failure {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return utf16(bytes.subarray(2), true);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return utf16(bytes.subarray(2), false);
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return invalid('it is not valid UTF-8');
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * A DTD is never needed in a nuspec and is the door to entity expansion (billion laughs) and external
 * entities (XXE), so any DOCTYPE or ENTITY declaration is refused before the parser sees the text.
 */
const DTD = /<!(DOCTYPE|ENTITY)/i;

function parse(text: string): unknown {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: ATTRIBUTE,
    textNodeName: TEXT,
    removeNSPrefix: true,
    parseTagValue: false,
    parseAttributeValue: false,
    htmlEntities: true,
    trimValues: true,
    // Every element as an array, so a repeated element is visible as such rather than changing shape.
    isArray: (_name, _path, _leaf, isAttribute) => !isAttribute,
  });
  return parser.parse(text, true);
}

/** The parsed <metadata> element; read it with childElements, elementText and attributeOf. */
export interface NuspecMetadata {
  element: unknown;
}

/** The nuspec's <metadata> element, or why the bytes are not a nuspec. */
export function parseNuspecMetadata(bytes: Uint8Array): NuspecMetadata | Failure {
  if (bytes.length > MAX_NUSPEC_BYTES) {
    return fail('badRequest', `The nuspec is larger than ${MAX_NUSPEC_BYTES} bytes.`);
  }
  const text = decode(bytes);
  if (isFailure(text)) return text;
  if (LONE_SURROGATE.test(text)) return invalid('it contains invalid Unicode');
  if (DTD.test(text)) return fail('badRequest', 'The nuspec must not contain a DOCTYPE or ENTITY declaration.');
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    // fast-xml-parser appends ":line:column" to its messages.
    const message = error instanceof Error ? error.message : 'it does not parse';
    return invalid(
      message.replace(/\.?:(\d+):(\d+|undefined)$/, (_, line, column) => ` (line ${line}, column ${column})`),
    );
  }
  const roots = isElement(document) ? Object.keys(document).filter((name) => !name.startsWith('?')) : [];
  const packages = childElements(document, 'package');
  if (roots.length !== 1 || packages.length !== 1)
    return fail('badRequest', "The nuspec's root element must be <package>.");
  const metadata = childElements(packages[0], 'metadata');
  if (metadata.length !== 1) return fail('badRequest', 'The nuspec must have exactly one <metadata> element.');
  return { element: metadata[0] };
}

function isElement(node: unknown): node is Record<string, unknown> {
  return typeof node === 'object' && node !== null && !Array.isArray(node);
}

/** Child elements named `name`, in document order. */
export function childElements(parent: unknown, name: string): unknown[] {
  if (!isElement(parent) || !Object.hasOwn(parent, name)) return [];
  const children = parent[name];
  return Array.isArray(children) ? children : [];
}

/** The element's own text, trimmed ("" when empty or when it has only child elements). */
export function elementText(element: unknown): string {
  if (typeof element === 'string') return element.trim();
  if (isElement(element) && Object.hasOwn(element, TEXT) && typeof element[TEXT] === 'string') {
    return element[TEXT].trim();
  }
  return '';
}

/** The attribute's trimmed value, or null when the element does not carry it. */
export function attributeOf(element: unknown, name: string): string | null {
  const key = ATTRIBUTE + name;
  if (!isElement(element) || !Object.hasOwn(element, key)) return null;
  const value = element[key];
  return typeof value === 'string' ? value.trim() : null;
}
