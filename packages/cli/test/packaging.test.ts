import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '@leap/test-fixtures';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const libraries = ['contract', 'markers', 'git-prep', 'inventory', 'db-migrate', 'osa-deploy', 'f5'];
const env = { NO_COLOR: '1' };

interface Packed {
  filename: string;
  files: Array<{ path: string }>;
}

/** `npm pack` of packages/<name> into `dir`: the tarball's path and the files it holds. */
async function pack(name: string, dir: string): Promise<{ tarball: string; files: string[] }> {
  const result = await execa('npm', ['pack', '--pack-destination', dir, '--json'], {
    cwd: join(repoRoot, 'packages', name),
  });
  const [packed] = JSON.parse(result.stdout) as Packed[];
  return { tarball: join(dir, packed!.filename), files: packed!.files.map((f) => f.path) };
}

/** Installs tarballs into a fresh global prefix, as `npm install -g` does; returns the installed `leap`. */
async function installGlobally(prefix: string, tarballs: string[]): Promise<string> {
  await execa(
    'npm',
    ['install', '--global', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', ...tarballs],
    {
      env: { npm_config_engine_strict: 'true' },
    },
  );
  return join(prefix, 'bin', 'leap');
}

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(folder, entry.name)) : [join(folder, entry.name)],
  );
}

let dir: string;
const tarballs = new Map<string, string>();
let cliFiles: string[] = [];

beforeAll(async () => {
  expect(existsSync(join(repoRoot, 'packages/cli/dist/main.js')), 'run `npm run build` first').toBe(true);
  dir = makeTempDir('leap-pack-');
  for (const name of [...libraries, 'lab', 'cli']) {
    const packed = await pack(name, dir);
    tarballs.set(name, packed.tarball);
    if (name === 'cli') cliFiles = packed.files;
  }
}, 300_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('packaging', () => {
  it('ships no lab in @leap/cli, and the one-file bundle for deploy hosts without the npm registry', () => {
    expect(cliFiles).toContain('bin/leap.js');
    expect(cliFiles).toContain('dist/leap.mjs');
    expect(
      cliFiles.filter((f) => f.startsWith('lab/') || f.startsWith('assets/') || f.startsWith('dist/lab/')),
    ).toEqual([]);
  });

  it('ships in every tarball the LICENSE, keywords, homepage and bugs, and the sources its source maps point to', async () => {
    const license = readFileSync(join(repoRoot, 'LICENSE'), 'utf8');
    expect(license).toContain('Apache License');
    for (const [name, tarball] of tarballs) {
      const out = join(dir, 'unpacked', name);
      mkdirSync(out, { recursive: true });
      await execa('tar', ['-xzf', tarball, '-C', out]);
      const pkg = join(out, 'package');
      expect(readFileSync(join(pkg, 'LICENSE'), 'utf8'), name).toBe(license);
      const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as Record<string, unknown>;
      expect(manifest, name).toMatchObject({
        license: 'Apache-2.0',
        keywords: expect.arrayContaining(['openstack']),
        homepage: expect.stringContaining(`/packages/${name}`),
        bugs: { url: expect.stringMatching(/^https:\/\//) },
      });
      const maps = filesUnder(join(pkg, 'dist')).filter((f) => f.endsWith('.map'));
      expect(maps.length, name).toBeGreaterThan(0);
      for (const map of maps) {
        const { sources } = JSON.parse(readFileSync(map, 'utf8')) as { sources: string[] };
        for (const source of sources)
          expect(existsSync(resolve(dirname(map), source)), `${map} -> ${source}`).toBe(true);
      }
    }
  });

  it('installs the packed @leap/cli and @leap/lab with their @leap/* tarballs into a global prefix and runs leap and leap lab from it', async () => {
    const prefix = join(dir, 'with-lab');
    const leap = await installGlobally(prefix, [...tarballs.values()]);
    const version = await execa(leap, ['--version'], { env });
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const help = await execa(leap, ['--help'], { env });
    expect(help.stdout).toContain('Usage: leap');
    // The installed CLI resolves the libraries from the tarballs, not from this checkout.
    const installed = join(prefix, 'lib', 'node_modules', '@leap');
    expect(existsSync(join(installed, 'markers', 'package.json'))).toBe(true);
    // leap's Ansible callback ships with osa-deploy: the Ansible runner cannot parse results without it.
    expect(existsSync(join(installed, 'osa-deploy', 'callback_plugins', 'leap_exec.py'))).toBe(true);

    const lab = join(dir, 'lab');
    const created = await execa(leap, ['lab', 'create', lab, '--hosts', '1'], { env, reject: false, all: true });
    expect(created.exitCode, created.all).toBe(0);
    expect(existsSync(join(lab, 'leap.yaml'))).toBe(true);
    // The lab's stand-ins come from the installed @leap/lab's assets.
    expect(existsSync(join(installed, 'lab', 'assets', 'releases', 'lib', 'manage.cjs'))).toBe(true);
    const destroyed = await execa(leap, ['lab', 'destroy', lab], { env, reject: false, all: true });
    expect(destroyed.exitCode, destroyed.all).toBe(0);
    expect(existsSync(lab)).toBe(false);
  }, 480_000);

  it("tells how to install @leap/lab, at the CLI's version, when `leap lab` runs without it", async () => {
    const leap = await installGlobally(
      join(dir, 'without-lab'),
      [...tarballs].filter(([name]) => name !== 'lab').map(([, tarball]) => tarball),
    );
    const version = (await execa(leap, ['--version'], { env })).stdout.trim();
    const result = await execa(leap, ['lab', 'create', join(dir, 'no-lab')], { env, reject: false, all: true });
    expect(result.exitCode, result.all).toBe(2);
    expect(result.stderr).toContain('[LEAP_LAB_NOT_INSTALLED]');
    expect(result.stderr).toContain(`hint npm install -g @leap/lab@${version}`);
    expect(existsSync(join(dir, 'no-lab'))).toBe(false);
  }, 240_000);
});
