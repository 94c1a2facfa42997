import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { errorCodesInReadme, errorCodesOfUnion, errorCodesThrownIn } from './error-codes.js';

const missingFrom = (codes: Set<string>, from: Set<string>): string[] =>
  [...codes].filter((code) => !from.has(code)).sort();

/**
 * The tests that keep a package's README error table, its code union (`unionName` in src/errors.ts) and the
 * codes its src throws in step. `packageDir` is the package's folder, e.g. `new URL('..', import.meta.url)`.
 */
export function errorTableTests(packageDir: URL, unionName: string): void {
  const dir = fileURLToPath(packageDir);
  const readme = join(dir, 'README.md');
  const thrown = errorCodesThrownIn(join(dir, 'src'));
  const union = errorCodesOfUnion(join(dir, 'src', 'errors.ts'), unionName);
  const documented = errorCodesInReadme(readme);

  describe(`the error table in ${basename(dir)}/README.md`, () => {
    it('has a row for every code thrown in src', () => {
      expect(missingFrom(thrown, documented), 'add a row (code, when, what to do) to the README').toEqual([]);
    });

    it(`lists no code outside ${unionName}`, () => {
      expect(
        missingFrom(documented, union),
        `remove the row, or add the code to ${unionName} if src throws it`,
      ).toEqual([]);
    });

    it(`has no code in ${unionName} that src never throws`, () => {
      expect(missingFrom(union, thrown), `remove the code from ${unionName} and its row from the README`).toEqual([]);
    });
  });
}
