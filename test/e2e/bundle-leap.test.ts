import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, parse } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { leap, makeTempDir, readLabJson, repoRoot, type LabJson } from '@leap/test-fixtures';

const bundle = join(repoRoot, 'packages/cli/dist/leap.mjs');
const confirm = ['--confirm-source', 'kilo', '--confirm-redeploy', '--plain'];

/** Every module specifier the bundle imports or requires. */
function specifiers(code: string): string[] {
  const found = new Set<string>();
  const name = '([@\\w.][\\w@./:-]*)';
  const patterns = [
    `\\bfrom\\s*"${name}"`,
    `\\bimport\\s*\\(\\s*"${name}"\\s*\\)`,
    `\\brequire\\s*\\(\\s*"${name}"\\s*\\)`,
    `^import\\s*"${name}"`,
  ].map((source) => new RegExp(source, 'gm'));
  for (const pattern of patterns) for (const match of code.matchAll(pattern)) found.add(match[1]!);
  return [...found];
}

/** node_modules folders Node would search from `dir` upwards. */
function nodeModulesAbove(dir: string): string[] {
  const found: string[] = [];
  for (let current = dir; ; current = dirname(current)) {
    if (existsSync(join(current, 'node_modules'))) found.push(join(current, 'node_modules'));
    if (current === parse(current).root) return found;
  }
}

describe('the bundle: one file, no node_modules', () => {
  let base: string;
  let alone: string;
  let lab: LabJson;
  const run = (args: string[]) =>
    execa(process.execPath, [join(alone, 'leap.mjs'), ...args], {
      cwd: alone,
      reject: false,
      all: true,
      extendEnv: false,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: base,
        XDG_CACHE_HOME: join(base, 'cache'),
        NO_COLOR: '1',
      },
    });

  beforeAll(async () => {
    base = makeTempDir('leap-bundle-');
    alone = join(base, 'alone');
    mkdirSync(alone);
    copyFileSync(bundle, join(alone, 'leap.mjs'));
    const created = await leap(['lab', 'create', join(base, 'lab'), '--single-db']);
    expect(created.exitCode, created.all).toBe(0);
    lab = readLabJson(join(base, 'lab'));
  });

  afterAll(async () => {
    if (lab) await leap(['lab', 'destroy', lab.dir]);
    rmSync(base, { recursive: true, force: true });
  });

  it('requires only node builtins and carries no native addon', () => {
    const code = readFileSync(bundle, 'utf8');
    expect(specifiers(code).filter((name) => !isBuiltin(name) && name !== '@leap/lab')).toEqual([]);
    expect(code).not.toMatch(/require\(\s*"[^"]+\.node"\s*\)/);
    expect(readdirSync(alone)).toEqual(['leap.mjs']);
    expect(nodeModulesAbove(alone)).toEqual([]);
  });

  it('prints the version of @leap/cli', async () => {
    const result = await run(['--version']);
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'packages/cli/package.json'), 'utf8')) as { version: string };
    expect(result.exitCode, result.all).toBe(0);
    expect(result.stdout.trim()).toBe(pkg.version);
  });

  it('plans the leap on the lab', async () => {
    const result = await run(['--config', lab.paths.leapYaml, 'plan']);
    expect(result.exitCode, result.all).toBe(0);
    expect(result.all).toContain('newton/redeploy/os-keystone-install');
  });

  it('runs the whole leap, with its playbooks and Ansible callback written to the cache folder', async () => {
    const result = await run(['--config', lab.paths.leapYaml, 'run', ...confirm]);
    expect(result.exitCode, result.all).toBe(0);
    const status = await run(['--config', lab.paths.leapYaml, 'status']);
    expect(status.exitCode, status.all).toBe(0);
    expect(status.all).toMatch(/complete|done/i);
    // One folder per asset and content hash: the playbooks are in one of them, whichever sorts first.
    const folders = readdirSync(join(base, 'cache', 'leap'));
    const playbook = join('@leap', 'osa-deploy', 'playbooks', 'galera-stop.yml');
    expect(
      folders.filter((folder) => existsSync(join(base, 'cache', 'leap', folder, playbook))),
      folders.join(', '),
    ).toHaveLength(1);
  });

  it('says how to get the lab, which it leaves out', async () => {
    const result = await run(['lab', 'create', join(base, 'no-lab')]);
    expect(result.exitCode, result.all).toBe(2);
    expect(result.all).toContain('@leap/lab');
  });
});
