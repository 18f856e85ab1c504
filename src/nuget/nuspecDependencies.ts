/**
 * A nuspec's <dependencies> → dependency groups with normalized ranges (protocol §10.2, §9.4), checked as
 * nuget.org checks them on push (§10.3): valid ids, no floating ranges, no build metadata in bounds, no
 * duplicate ids in a group, no duplicate groups.
 */
import { fail, isFailure, type Failure } from '../problems';
import { isValidDependencyId, MAX_DEPENDENCY_ID_LENGTH } from './packageId';
import { normalizedRange, parseRange } from './range';
import type { DependencyGroup, PackageDependency } from './types';
import { hasMetadata } from './version';
import { attributeOf, childElements } from './nuspecXml';

const bad = (message: string): Failure => fail('badRequest', message);

/** A missing or empty version attribute means any version; it is stored as "" like nuget.org does (§9.4). */
function dependencyRange(id: string, text: string): string | Failure {
  if (text === '') return '';
  const range = parseRange(text, { allowFloating: false });
  if (range === null) {
    return parseRange(text, { allowFloating: true })?.float
      ? bad(`The dependency '${id}' has the floating range '${text}': floating ranges are not allowed in a nuspec.`)
      : bad(`The dependency '${id}' has an invalid version range '${text}'.`);
  }
  if ([range.minVersion, range.maxVersion].some((bound) => bound !== null && hasMetadata(bound))) {
    return bad(`The dependency '${id}' has the range '${text}', whose bounds must not carry build metadata.`);
  }
  return normalizedRange(range);
}

function dependency(element: unknown): PackageDependency | Failure {
  const id = attributeOf(element, 'id') ?? '';
  if (id === '') return bad('A dependency in the nuspec has no id.');
  if (!isValidDependencyId(id)) {
    return bad(`The dependency id '${id}' is not a valid package id (at most ${MAX_DEPENDENCY_ID_LENGTH} characters).`);
  }
  const range = dependencyRange(id, attributeOf(element, 'version') ?? '');
  return typeof range === 'string' ? { id, range } : range;
}

function group(targetFramework: string | null, elements: unknown[]): DependencyGroup | Failure {
  const dependencies: PackageDependency[] = [];
  const ids = new Set<string>();
  for (const element of elements) {
    const parsed = dependency(element);
    if (isFailure(parsed)) return parsed;
    const key = parsed.id.toLowerCase();
    if (ids.has(key)) {
      return bad(`The dependency '${parsed.id}' is listed more than once in the ${describe(targetFramework)}.`);
    }
    ids.add(key);
    dependencies.push(parsed);
  }
  // §4.6: the framework-agnostic group has no targetFramework property at all, never "".
  return targetFramework ? { targetFramework, dependencies } : { dependencies };
}

function describe(targetFramework: string | null): string {
  return targetFramework ? `dependency group for '${targetFramework}'` : 'dependency group without a targetFramework';
}

/**
 * Either <group> children or a flat list of <dependency> (the pre-2.0 form, one framework-agnostic group).
 * When both appear NuGet reads only the groups (NuspecReader.GetDependencyGroups), and so does this.
 */
export function dependencyGroups(metadata: unknown): DependencyGroup[] | Failure {
  const containers = childElements(metadata, 'dependencies');
  if (containers.length > 1) return bad('The nuspec has more than one <dependencies> element.');
  const container = containers[0];
  const groupElements = childElements(container, 'group');
  if (groupElements.length === 0) {
    const flat = childElements(container, 'dependency');
    if (flat.length === 0) return [];
    const only = group(null, flat);
    return isFailure(only) ? only : [only];
  }
  const groups: DependencyGroup[] = [];
  const frameworks = new Set<string>();
  for (const element of groupElements) {
    const targetFramework = attributeOf(element, 'targetFramework') || null;
    const key = targetFramework?.toLowerCase() ?? '';
    if (frameworks.has(key)) return bad(`The nuspec has more than one ${describe(targetFramework)}.`);
    frameworks.add(key);
    const parsed = group(targetFramework, childElements(element, 'dependency'));
    if (isFailure(parsed)) return parsed;
    groups.push(parsed);
  }
  return groups;
}
