/**
 * A .nuspec → the PackageManifest a push stores: the fields of protocol §10.2 with nuget.org's limits, and the
 * manifest checks of §10.3. The id and version indexed always come from here, never from a file name.
 */
import { fail, isFailure, type Failure } from '../problems';
import { dependencyGroups } from './nuspecDependencies';
import { attributeOf, childElements, elementText, parseNuspecMetadata } from './nuspecXml';
import { isValidDependencyId, packageIdProblem } from './packageId';
import { rangeMakesSemVer2 } from './range';
import type { PackageManifest, PackageType } from './types';
import { fullVersion, isPrerelease, isSemVer2Version, lowerVersion, parseVersion } from './version';

export { MAX_NUSPEC_BYTES } from './nuspecXml';
/** nuget.org's caps for the embedded files a nuspec names (§10.3). */
export const MAX_README_BYTES = 1024 * 1024;
export const MAX_ICON_BYTES = 1024 * 1024;
export const MAX_LICENSE_FILE_BYTES = 1024 * 1024;

/** §10.2 nuget.org limits, in UTF-16 code units as .NET counts them. The id's own limit is packageIdProblem's. */
const TEXT_FIELDS = Object.freeze({
  id: 4000,
  version: 64,
  authors: 4000,
  description: 4000,
  title: 256,
  summary: 4000,
  tags: 4000,
  releaseNotes: 35000,
  copyright: 4000,
  language: 20,
  projectUrl: 4000,
  iconUrl: 4000,
  licenseUrl: 4000,
  icon: 4000,
  readme: 4000,
  requireLicenseAcceptance: 4000,
  developmentDependency: 4000,
});
type TextField = keyof typeof TEXT_FIELDS;

/** The package type nuget.org routes to the symbol endpoint (§2.6); type names compare case-insensitively. */
const SYMBOLS_PACKAGE = 'symbolspackage';

export interface ManifestOptions {
  /**
   * Reading a .snupkg's nuspec (§2.6): it must declare the SymbolsPackage type, and it omits authors, so only
   * id and version are required. A package push (the default) refuses the SymbolsPackage type instead.
   */
  symbolPackage?: boolean;
}

const bad = (message: string): Failure => fail('badRequest', message);

function readTexts(metadata: unknown): Record<TextField, string> | Failure {
  const texts = {} as Record<TextField, string>;
  for (const [name, max] of Object.entries(TEXT_FIELDS) as [TextField, number][]) {
    const elements = childElements(metadata, name);
    if (elements.length > 1) return bad(`The nuspec has more than one <${name}> element.`);
    texts[name] = elementText(elements[0]);
    if (texts[name].length > max) return bad(`The nuspec's <${name}> is longer than ${max} characters.`);
  }
  return texts;
}

function extensionOf(path: string): string {
  const file = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  const dot = file.lastIndexOf('.');
  return dot < 0 ? '' : file.slice(dot).toLowerCase();
}

/** XmlConvert.ToBoolean's spellings; absent means false. */
function flag(name: string, text: string): boolean | Failure {
  const value = text.toLowerCase();
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0' || value === '') return false;
  return bad(`The nuspec's <${name}> must be true or false, not '${text}'.`);
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** SPDX expression characters: ids, '+', parentheses and the AND/OR/WITH operators between spaces. */
const LICENSE_EXPRESSION = /^[A-Za-z0-9.+\-() ]+$/;

/** §10.2-10.3: <license type="expression|file" version="1.0.0">; a file needs no extension, .txt or .md. */
function license(metadata: unknown): Pick<PackageManifest, 'licenseExpression' | 'licenseFile'> | Failure {
  const elements = childElements(metadata, 'license');
  if (elements.length === 0) return { licenseExpression: '', licenseFile: '' };
  if (elements.length > 1) return bad('The nuspec has more than one <license> element.');
  const value = elementText(elements[0]);
  const type = attributeOf(elements[0], 'type')?.toLowerCase();
  const version = attributeOf(elements[0], 'version');
  if (version !== null && version !== '1.0.0')
    return bad(`The nuspec's <license> version '${version}' is not supported (only 1.0.0).`);
  if (value === '') return bad("The nuspec's <license> element is empty.");
  if (type === 'expression') {
    return LICENSE_EXPRESSION.test(value)
      ? { licenseExpression: value, licenseFile: '' }
      : bad(`'${value}' is not a valid license expression.`);
  }
  if (type === 'file') {
    return ['', '.txt', '.md'].includes(extensionOf(value))
      ? { licenseExpression: '', licenseFile: value }
      : bad(`The license file '${value}' must have no extension, .txt or .md.`);
  }
  return bad("The nuspec's <license> type must be 'expression' or 'file'.");
}

/** §10.2: <packageTypes><packageType name version/>; the version, when given, is a System.Version. */
function packageTypes(metadata: unknown): PackageType[] | Failure {
  const containers = childElements(metadata, 'packageTypes');
  if (containers.length > 1) return bad('The nuspec has more than one <packageTypes> element.');
  const types: PackageType[] = [];
  for (const element of childElements(containers[0], 'packageType')) {
    const name = attributeOf(element, 'name') ?? '';
    const version = attributeOf(element, 'version') ?? '';
    if (!isValidDependencyId(name)) return bad(`The package type '${name}' is not a valid package type name.`);
    if (version !== '' && !/^\d+(\.\d+){1,3}$/.test(version)) {
      return bad(`The package type '${name}' has an invalid version '${version}'.`);
    }
    types.push(version === '' ? { name } : { name, version });
  }
  return types;
}

function symbolPackageProblem(types: PackageType[], symbolPackage: boolean): Failure | null {
  const declared = types.some((type) => type.name.toLowerCase() === SYMBOLS_PACKAGE);
  if (declared && !symbolPackage) {
    return bad(
      'This is a symbol package (package type SymbolsPackage): push the .snupkg to the symbol package endpoint.',
    );
  }
  if (!declared && symbolPackage)
    return bad("The symbol package's nuspec must declare the SymbolsPackage package type.");
  return null;
}

function fileProblem(field: 'icon' | 'readme', path: string, allowed: string[]): Failure | null {
  if (path === '' || allowed.includes(extensionOf(path))) return null;
  return bad(`The ${field} file '${path}' must be ${allowed.join(', ')}.`);
}

export function parseManifest(xml: Uint8Array, options: ManifestOptions = {}): PackageManifest | Failure {
  const symbolPackage = options.symbolPackage ?? false;
  const parsed = parseNuspecMetadata(xml);
  if (isFailure(parsed)) return parsed;
  const metadata = parsed.element;
  const t = readTexts(metadata);
  if (isFailure(t)) return t;
  const types = packageTypes(metadata);
  if (isFailure(types)) return types;
  const symbolFailure = symbolPackageProblem(types, symbolPackage);
  if (symbolFailure) return symbolFailure;
  const required: TextField[] = symbolPackage ? ['id', 'version'] : ['id', 'version', 'authors', 'description'];
  const missing = required.find((name) => t[name] === '');
  if (missing) return bad(`The nuspec is missing the required <${missing}> element.`);

  const idProblem = packageIdProblem(t.id);
  if (idProblem !== null) return bad(idProblem);
  const version = parseVersion(t.version);
  if (version === null) return bad(`'${t.version}' is not a valid NuGet version.`);
  const minClientVersion = attributeOf(metadata, 'minClientVersion') ?? '';
  if (minClientVersion !== '' && parseVersion(minClientVersion) === null) {
    return bad(`The nuspec's minClientVersion '${minClientVersion}' is not a valid version.`);
  }
  for (const name of ['projectUrl', 'iconUrl', 'licenseUrl'] as const) {
    if (t[name] !== '' && !isHttpUrl(t[name]))
      return bad(`The nuspec's <${name}> '${t[name]}' is not an absolute http or https URL.`);
  }
  const requireLicenseAcceptance = flag('requireLicenseAcceptance', t.requireLicenseAcceptance);
  if (isFailure(requireLicenseAcceptance)) return requireLicenseAcceptance;
  const developmentDependency = flag('developmentDependency', t.developmentDependency);
  if (isFailure(developmentDependency)) return developmentDependency;
  const licenseFields = license(metadata);
  if (isFailure(licenseFields)) return licenseFields;
  const fileFailure =
    fileProblem('icon', t.icon, ['.png', '.jpg', '.jpeg']) ?? fileProblem('readme', t.readme, ['.md']);
  if (fileFailure) return fileFailure;
  const groups = dependencyGroups(metadata);
  if (isFailure(groups)) return groups;

  return {
    id: t.id,
    originalVersion: t.version,
    version: fullVersion(version),
    lowerVersion: lowerVersion(version),
    isPrerelease: isPrerelease(version),
    // §9.5: the verbatim version parses to this same value, so its own SemVer 2-ness covers both.
    isSemVer2:
      isSemVer2Version(version) ||
      groups.some((group) => group.dependencies.some((dependency) => rangeMakesSemVer2(dependency.range || null))),
    authors: t.authors,
    description: t.description,
    title: t.title,
    summary: t.summary,
    // nuget.org splits tags on spaces and commas and stores them space-separated.
    tags: t.tags
      .split(/[\s,]+/)
      .filter((tag) => tag !== '')
      .join(' '),
    projectUrl: t.projectUrl,
    iconUrl: t.iconUrl,
    licenseUrl: t.licenseUrl,
    ...licenseFields,
    releaseNotes: t.releaseNotes,
    copyright: t.copyright,
    language: t.language,
    minClientVersion,
    requireLicenseAcceptance,
    developmentDependency,
    iconFile: t.icon,
    readmeFile: t.readme,
    packageTypes: types,
    dependencyGroups: groups,
  };
}
