import { describe, expect, it } from 'vitest';
import ids from '../fixtures/conformance/package-ids.json';
import {
  MAX_DEPENDENCY_ID_LENGTH,
  MAX_PACKAGE_ID_LENGTH,
  isValidDependencyId,
  isValidPackageId,
  isValidPackageIdForPush,
  lowerId,
  packageIdProblem,
} from '../../src/nuget/packageId';

const gallery = ids.nugetGallery;

describe('limits', () => {
  it('match the client and nuget.org', () => {
    expect(MAX_PACKAGE_ID_LENGTH).toBe(ids.maxLength);
    expect(MAX_DEPENDENCY_ID_LENGTH).toBe(gallery.maxLength);
  });
});

describe('isValidPackageId (client rule, .NET \\w)', () => {
  it.each([...ids.valid, ...gallery.validForRead].map((id) => [id]))('accepts %j', (id) => {
    expect(isValidPackageId(id)).toBe(true);
  });

  it.each([...ids.invalid, ...gallery.invalidForRead, ...gallery.invalidCharactersThrow].map((id) => [id]))(
    'rejects %j',
    (id) => {
      expect(isValidPackageId(id)).toBe(false);
    },
  );
});

describe('isValidPackageIdForPush (nuget.org rule) and packageIdProblem', () => {
  it.each(gallery.validForPush.map((id) => [id]))('accepts %j', (id) => {
    expect(isValidPackageIdForPush(id)).toBe(true);
    expect(packageIdProblem(id)).toBeNull();
  });

  // The client's own valid ids are ASCII, so nuget.org's rule accepts them too.
  it.each(ids.valid.map((id) => [id]))('accepts the client-valid %j', (id) => {
    expect(isValidPackageIdForPush(id)).toBe(true);
  });

  it.each([...gallery.invalidForPush, ...ids.invalid, ...gallery.invalidCharactersThrow].map((id) => [id]))(
    'rejects %j with a one-line reason',
    (id) => {
      expect(isValidPackageIdForPush(id)).toBe(false);
      const problem = packageIdProblem(id);
      expect(problem).toMatch(/^The package id /);
      expect(problem).not.toMatch(/[\r\n]/);
    },
  );

  it.each(ids.tooLong.map((id) => [id.length, id]))('rejects a %i-character id for its length alone', (_n, id) => {
    expect(isValidPackageId(id)).toBe(true);
    expect(isValidPackageIdForPush(id)).toBe(false);
    expect(packageIdProblem(id)).toBe(
      `The package id is ${id.length} characters long: it must not exceed 100 characters.`,
    );
  });

  it('accepts exactly 100 characters', () => {
    expect(isValidPackageIdForPush('d'.repeat(100))).toBe(true);
  });

  it('names the offending id and the rule', () => {
    expect(packageIdProblem('a..b')).toBe(
      "The package id 'a..b' is not valid: ids are ASCII letters, digits and '_' in words separated by single '.' or '-'.",
    );
    expect(packageIdProblem('$id$')).toContain('$id$');
    expect(packageIdProblem('')).toContain('empty');
  });
});

describe('isValidDependencyId (nuget.org read rule)', () => {
  it.each(gallery.validForRead.map((id) => [id]))('accepts %j', (id) => {
    expect(isValidDependencyId(id)).toBe(true);
  });

  it.each(gallery.tooLong.map((id) => [id.length, id]))('rejects a %i-character id', (_n, id) => {
    expect(isValidPackageId(id)).toBe(true);
    expect(isValidDependencyId(id)).toBe(false);
  });

  it('accepts ids between the push and read limits', () => {
    expect(isValidDependencyId('d'.repeat(128))).toBe(true);
  });
});

describe('lowerId', () => {
  it('is the case-insensitive identity (§10.1)', () => {
    expect(lowerId('Newtonsoft.Json')).toBe('newtonsoft.json');
    expect(lowerId('NU_Get.Core-IsCool')).toBe(lowerId('nu_get.core-iscool'));
  });
});
