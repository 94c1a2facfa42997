#!/usr/bin/env node
// Proves a release would work, publishing nothing: on a temporary copy of the built checkout, `changeset version`
// (the versions and changelogs a release would get), `npm publish --dry-run` of every public package, `npm pack`,
// the tarballs installed into a fresh global prefix (`npm install -g --prefix`) and `leap --version` run from there.
// Run after `npm run build` (CI does): node scripts/release-dry-run.mjs
// eslint-disable-next-line no-restricted-imports -- argument arrays only, no shell
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const work = mkdtempSync(join(tmpdir(), 'leap-release-dry-run-'));
const copy = join(work, 'repo');

function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  if (result.status !== 0)
    throw new Error(
      `${command} ${args.join(' ')} (in ${cwd}) exited ${result.status}:\n${result.stdout}${result.stderr}`,
    );
  return result.stdout;
}

const manifest = (dir) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));

try {
  if (!existsSync(join(root, 'packages/cli/dist/main.js'))) throw new Error('run `npm run build` first');
  // The checkout as built, with its history (the changelog links commits) and without its dependencies (linked);
  // nothing here touches the original.
  cpSync(root, copy, { recursive: true, filter: (source) => source.split('/').at(-1) !== 'node_modules' });
  symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'));
  // changesets deepens a shallow clone with `git fetch` until it finds each changeset's commit, which loops
  // without a remote; a shallow clone's copy goes without history (and the changelog without links).
  const shallow = run('git', ['rev-parse', '--is-shallow-repository'], copy).trim() === 'true';
  if (shallow) rmSync(join(copy, '.git'), { recursive: true, force: true });

  const packages = readdirSync(join(copy, 'packages'))
    .map((name) => join(copy, 'packages', name))
    .filter((dir) => existsSync(join(dir, 'package.json')) && manifest(dir).private !== true);
  const before = new Map(packages.map((dir) => [manifest(dir).name, manifest(dir).version]));

  run(process.execPath, [join(root, 'node_modules/@changesets/cli/bin.js'), 'version'], copy);
  console.log('changeset version:');
  for (const dir of packages) {
    const { name, version } = manifest(dir);
    console.log(
      `  ${name} ${before.get(name)} -> ${version}${existsSync(join(dir, 'CHANGELOG.md')) ? ', CHANGELOG.md' : ''}`,
    );
  }

  const changelog = readFileSync(join(copy, 'packages/cli/CHANGELOG.md'), 'utf8');
  const linked = changelog.match(/^- \[`[0-9a-f]{7}`\]\(https:\/\/github\.com\/[^)]+\/commit\/[0-9a-f]{40}\)/gm) ?? [];
  if (linked.length === 0 && !shallow)
    throw new Error(`no change in packages/cli/CHANGELOG.md links its commit:\n${changelog}`);
  console.log(
    shallow
      ? '  a shallow clone: CHANGELOG.md without commit links'
      : `  @leap/cli CHANGELOG.md: ${linked.length} changes linked to their commits, e.g. ${linked[0]}`,
  );

  const tarballs = join(work, 'tarballs');
  mkdirSync(tarballs);
  for (const dir of packages) {
    const published = JSON.parse(run('npm', ['publish', '--dry-run', '--json', '--ignore-scripts'], dir));
    const [packed] = JSON.parse(
      run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', tarballs], dir),
    );
    console.log(
      `  npm publish --dry-run ${published.id ?? `${manifest(dir).name}@${manifest(dir).version}`}: ${packed.entryCount} files, ${packed.size} bytes`,
    );
  }

  const prefix = join(work, 'prefix');
  const files = readdirSync(tarballs).map((f) => join(tarballs, f));
  run(
    'npm',
    ['install', '--global', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', ...files],
    work,
  );
  const version = run(join(prefix, 'bin', 'leap'), ['--version'], work).trim();
  const expected = manifest(join(copy, 'packages/cli')).version;
  if (version !== expected)
    throw new Error(`the installed leap says ${version}, the released @leap/cli is ${expected}`);
  // The CLI's bundle carries @leap/markers' code, which loads pino and proper-lockfile when a leap runs: they must
  // resolve from the installed bundle's folder (npm installs the markers' dependencies beside the CLI's).
  const bundleMain = join(prefix, 'lib', 'node_modules', '@leap', 'cli', 'bundle', 'main.js');
  const script = `const r = require('node:module').createRequire(${JSON.stringify(bundleMain)}); r.resolve('pino'); r.resolve('proper-lockfile');`;
  run(process.execPath, ['-e', script], work);
  console.log(`release dry run: ${packages.length} packages packed and installed; leap --version: ${version}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
