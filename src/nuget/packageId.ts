/** Package ids (protocol §10.1). Ids are case-insensitive everywhere; lowerId is their identity. */

/** nuget.org's limit for a pushed package's id. */
export const MAX_PACKAGE_ID_LENGTH = 100;

/** nuget.org's limit for ids it reads, e.g. a dependency's id (§10.1). */
export const MAX_DEPENDENCY_ID_LENGTH = 128;

/** The client's rule: .NET \w words (any script's letters and digits, '_') joined by single '.' or '-'. */
const CLIENT_ID = /^[\p{L}\p{Mn}\p{Nd}\p{Pc}]+(?:[.-][\p{L}\p{Mn}\p{Nd}\p{Pc}]+)*$/u;

/** nuget.org's rule for new ids: ASCII only, so lowercasing can never change an id's shape. */
const PUSH_ID = /^[A-Za-z0-9_]+(?:[.-][A-Za-z0-9_]+)*$/;

/** The nuspec template token `nuget pack` leaves in place when no project supplies the id. */
const ID_TOKEN = '$id$';

/** PackageIdValidator.IsValidPackageId: the characters only; length is checked separately. */
export function isValidPackageId(id: string): boolean {
  return CLIENT_ID.test(id);
}

/** A dependency's id only needs to be readable: the client rule within nuget.org's read limit. */
export function isValidDependencyId(id: string): boolean {
  return id.length <= MAX_DEPENDENCY_ID_LENGTH && isValidPackageId(id);
}

export function isValidPackageIdForPush(id: string): boolean {
  return packageIdProblem(id) === null;
}

/** Why a pushed package's id is refused, in words a package author can act on; null when it is fine. */
export function packageIdProblem(id: string): string | null {
  if (id.trim() === '') return 'The package id is empty: the nuspec must give <id>.';
  if (id.length > MAX_PACKAGE_ID_LENGTH) {
    return `The package id is ${id.length} characters long: it must not exceed ${MAX_PACKAGE_ID_LENGTH} characters.`;
  }
  if (id === ID_TOKEN) return "The package id is the template token '$id$': put the real id in the nuspec.";
  if (!PUSH_ID.test(id)) {
    return (
      `The package id '${id}' is not valid: ids are ASCII letters, digits and '_' ` +
      "in words separated by single '.' or '-'."
    );
  }
  return null;
}

/** §10.1: the case-insensitive identity of an id, used in URLs and keys. */
export function lowerId(id: string): string {
  return id.toLowerCase();
}
