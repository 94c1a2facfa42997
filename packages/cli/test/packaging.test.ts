import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { tempDir } from '@leap/test-fixtures';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const packages = ['contract', 'markers', 'git-prep', 'inventory', 'db-migrate', 'osa-deploy', 'f5', 'cli'];

describe('packaging', () => {
  it('installs the packed @leap/cli with its @leap/* tarballs into a global prefix and runs leap from it', async () => {
    expect(existsSync(join(repoRoot, 'packages/cli/dist/main.js')), 'run `npm run build` first').toBe(true);
    const dir = tempDir('leap-pack-');
    for (const name of packages) {
      await execa('npm', ['pack', '--pack-destination', dir, '--silent'], { cwd: join(repoRoot, 'packages', name) });
    }
    const tarballs = readdirSync(dir).filter((f) => f.endsWith('.tgz')).map((f) => join(dir, f));
    expect(tarballs).toHaveLength(packages.length);

    const prefix = join(dir, 'prefix');
    await execa('npm', ['install', '--global', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', ...tarballs], {
      cwd: dir,
      env: { npm_config_engine_strict: 'true' },
    });
    const leap = join(prefix, 'bin', 'leap');
    const version = await execa(leap, ['--version'], { env: { NO_COLOR: '1' } });
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const help = await execa(leap, ['--help'], { env: { NO_COLOR: '1' } });
    expect(help.stdout).toContain('Usage: leap');
    // The installed CLI resolves the libraries from the tarballs, not from this checkout.
    expect(existsSync(join(prefix, 'lib', 'node_modules', '@leap', 'markers', 'package.json'))).toBe(true);
    // leap's Ansible callback ships with osa-deploy: the Ansible runner cannot parse results without it.
    expect(existsSync(join(prefix, 'lib', 'node_modules', '@leap', 'osa-deploy', 'callback_plugins', 'leap_exec.py'))).toBe(true);
  }, 180_000);
});
