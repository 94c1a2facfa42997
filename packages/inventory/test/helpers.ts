import { chmodSync, cpSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { tempDir } from '@leap/test-fixtures';

export const fixturesDir = fileURLToPath(new URL('./fixtures/', import.meta.url));

export interface Deployment {
  root: string;
  deployDir: string;
  backupDir: string;
}

/** A copy of a fixture deploy folder in a temp folder (removed after the test), secrets at mode 0600. */
export async function deployment(name = 'rpc-kilo'): Promise<Deployment> {
  const root = await tempDir('leap-inventory-');
  const deployDir = join(root, 'openstack_deploy');
  const backupDir = join(root, 'backup');
  cpSync(join(fixturesDir, name), deployDir, { recursive: true });
  mkdirSync(backupDir);
  for (const f of readdirSync(deployDir)) if (f.endsWith('secrets.yml')) chmodSync(join(deployDir, f), 0o600);
  return { root, deployDir, backupDir };
}

/** Every file under `dir` with its bytes and mode, to prove a failed step touched nothing. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      const key = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(path, key);
      else out[key] = `${(statSync(path).mode & 0o777).toString(8)} ${readFileSync(path, 'base64')}`;
    }
  };
  walk(dir, '');
  return out;
}

type Run = (
  file: string,
  args: string[],
  opts: { input?: string; reject?: boolean },
) => Promise<{ exitCode?: number; stdout: string; stderr: string }>;

/** execa 9 as @leap/test-fixtures resolves it (the root node_modules may hold an older major). */
export async function execa(
  file: string,
  args: string[],
  opts: { input?: string; reject?: boolean } = {},
): Promise<{ exitCode?: number; stdout: string; stderr: string }> {
  const require = createRequire(fileURLToPath(import.meta.resolve('@leap/test-fixtures')));
  const mod = (await import(pathToFileURL(require.resolve('execa')).href)) as { execa: Run };
  return mod.execa(file, args, opts);
}
