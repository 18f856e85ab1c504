import { afterEach, beforeEach, type MockInstance, vi } from 'vitest';

/**
 * Captures what the Worker writes to console.error during each test of the calling file, instead of
 * printing it: tests that inject faults expect those lines and assert on them. Returns a reader of
 * the current test's lines (each call's arguments joined; errors as `Name: message`).
 */
export function captureErrorLog(): () => string[] {
  let spy: MockInstance<typeof console.error> | undefined;
  beforeEach(() => {
    spy = vi.spyOn(console, 'error').mockImplementation(() => {});
  });
  afterEach(() => spy?.mockRestore());
  return () => (spy?.mock.calls ?? []).map((args) => args.map(describeArgument).join(' '));
}

/** Every line matches one of `patterns`, and every pattern matched some line; `[]` means nothing was logged. */
export function expectLogged(lines: string[], patterns: readonly RegExp[]): void {
  const unexpected = lines.filter((line) => !patterns.some((pattern) => pattern.test(line)));
  const missing = patterns.filter((pattern) => !lines.some((line) => pattern.test(line)));
  if (unexpected.length > 0 || missing.length > 0) {
    throw new Error(`log mismatch\nunexpected: ${JSON.stringify(unexpected)}\nmissing: ${missing.join(', ')}`);
  }
}

function describeArgument(value: unknown): string {
  return value instanceof Error ? `${value.constructor.name}: ${value.message}` : String(value);
}
