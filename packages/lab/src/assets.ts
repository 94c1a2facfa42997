import { fileURLToPath } from 'node:url';

/** A file or folder of @leap/lab's `assets/` (the same relative place from `src/` and `dist/`). */
export function labAsset(path: string): string {
  return fileURLToPath(new URL(`../assets/${path}`, import.meta.url));
}
