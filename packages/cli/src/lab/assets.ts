import { fileURLToPath } from 'node:url';

/** A file or folder of @leap/cli's `lab/` assets (the same relative place from `src/lab/` and `dist/lab/`). */
export function labAsset(path: string): string {
  return fileURLToPath(new URL(`../../lab/${path}`, import.meta.url));
}
