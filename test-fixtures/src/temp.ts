import { mkdtempSync, rmSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';

/** Makes a fresh folder under the OS temp dir; removed when the current test finishes. */
export function tempDir(prefix = 'leap-test-'): string {
  const dir = makeTempDir(prefix);
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A temp folder the caller removes itself (for global setups and fixtures outside a test). */
export function makeTempDir(prefix = 'leap-'): string {
  return realpathSync(mkdtempSync(join(tmpdir(), prefix)));
}
