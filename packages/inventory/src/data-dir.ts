import { fileURLToPath } from 'node:url';

/** The package's `data/` folder (env.d skeletons per release); the same relative place from `src/` and `dist/`. */
export function packageDataDir(): string {
  return fileURLToPath(new URL('../data/', import.meta.url));
}

/** The bundled Kilo env.d (OSA eol-kilo skeletons + RPC's ELK files), for the lab and tests. */
export function kiloEnvdDir(): string {
  return fileURLToPath(new URL('../data/env.d/kilo/', import.meta.url));
}
