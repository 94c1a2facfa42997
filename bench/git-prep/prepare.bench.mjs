#!/usr/bin/env node
// Times @leap/git-prep on real repositories: a Kilo checkout of rpc-openstack with an openstack-ansible submodule,
// behind bare file:// origins, moved to the "r14.1.0" tag. Figures are medians; no network is involved, so they are
// the cost of leap's own work (inspect, backup + verify, checkout, verify, restore), not of GitHub.
// eslint-disable-next-line no-restricted-imports -- fixture building only, argument arrays, no shell
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { prepareCheckout, restoreBackup } from '../../packages/git-prep/dist/index.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const root = mkdtempSync(join(tmpdir(), 'leap-bench-git-prep-'));
const home = join(root, 'home');
mkdirSync(home);
writeFileSync(
  join(home, '.gitconfig'),
  '[user]\n\tname = Bench\n\temail = bench@example.invalid\n[init]\n\tdefaultBranch = main\n[protocol "file"]\n\tallow = always\n[gc]\n\tauto = 0\n[advice]\n\tdetachedHead = false\n',
);
const env = { HOME: home, PATH: process.env.PATH ?? '/usr/bin:/bin', GIT_CONFIG_NOSYSTEM: '1', LANG: 'C' };

function git(cwd, args) {
  const result = spawnSync('git', args, { cwd, env, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
  return result.stdout.trim();
}
function write(dir, files) {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
}
function commit(dir, files, message) {
  write(dir, files);
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', message]);
  return git(dir, ['rev-parse', 'HEAD']);
}
/** A tree of `count` small files, like the playbooks and roles of a real checkout. */
function manyFiles(prefix, count, salt) {
  return Object.fromEntries(
    Array.from({ length: count }, (_, i) => [
      `${prefix}/d${i % 50}/f${i}.yml`,
      `- name: task ${i} ${salt}\n  debug: msg=${'x'.repeat(200)}\n`,
    ]),
  );
}

function buildTemplate(dir) {
  const osaSrc = join(dir, 'osa-src');
  mkdirSync(osaSrc, { recursive: true });
  git(osaSrc, ['init', '-q', '-b', 'main']);
  const osaKilo = commit(osaSrc, manyFiles('playbooks', 2000, 'kilo'), 'kilo');
  git(dir, ['clone', '-q', '--bare', osaSrc, join(dir, 'openstack-ansible.git')]);
  git(osaSrc, ['remote', 'add', 'origin', pathToFileURL(join(dir, 'openstack-ansible.git')).href]);
  const rpcSrc = join(dir, 'rpc-src');
  mkdirSync(rpcSrc, { recursive: true });
  git(rpcSrc, ['init', '-q', '-b', 'main']);
  commit(rpcSrc, manyFiles('rpcd', 500, 'kilo'), 'kilo');
  git(rpcSrc, ['submodule', 'add', '-q', '../openstack-ansible.git', 'openstack-ansible']);
  git(join(rpcSrc, 'openstack-ansible'), ['checkout', '-q', osaKilo]);
  git(rpcSrc, ['add', '-A']);
  git(rpcSrc, ['commit', '-q', '-m', 'pin osa']);
  git(rpcSrc, ['tag', '-a', 'r11.1.18', '-m', 'kilo']);
  git(dir, ['clone', '-q', '--bare', rpcSrc, join(dir, 'rpc-openstack.git')]);
  git(rpcSrc, ['remote', 'add', 'origin', pathToFileURL(join(dir, 'rpc-openstack.git')).href]);
  git(dir, [
    'clone',
    '-q',
    '--recurse-submodules',
    pathToFileURL(join(dir, 'rpc-openstack.git')).href,
    join(dir, 'work'),
  ]);
  const osaNewton = commit(osaSrc, manyFiles('playbooks', 2000, 'newton'), 'newton');
  git(osaSrc, ['push', '-q', 'origin', 'main']);
  git(join(rpcSrc, 'openstack-ansible'), ['fetch', '-q', 'origin']);
  git(join(rpcSrc, 'openstack-ansible'), ['checkout', '-q', osaNewton]);
  const rpcNewton = commit(rpcSrc, manyFiles('rpcd', 500, 'newton'), 'newton');
  git(rpcSrc, ['tag', '-a', 'r14.1.0', '-m', 'newton']);
  git(rpcSrc, ['push', '-q', 'origin', 'main', '--tags']);
  return { commit: rpcNewton, submodules: { 'openstack-ansible': osaNewton } };
}

function copyLab(template, name) {
  const dir = join(root, name);
  cpSync(template, dir, { recursive: true, verbatimSymlinks: true });
  const work = join(dir, 'work');
  git(work, ['remote', 'set-url', 'origin', pathToFileURL(join(dir, 'rpc-openstack.git')).href]);
  git(work, ['submodule', 'sync', '-q']);
  return { dir, work };
}

function dirty(work, untracked) {
  commit(work, { 'local/override.yml': 'operator: yes\n' }, 'local');
  write(work, { 'rpcd/d1/f1.yml': 'edited\n' });
  git(work, ['stash', 'push', '-q', '-m', 'wip']);
  write(work, { 'rpcd/d2/f2.yml': 'staged\n' });
  git(work, ['add', 'rpcd/d2/f2.yml']);
  write(work, { 'rpcd/d3/f3.yml': 'unstaged\n', 'openstack-ansible/playbooks/d0/f0.yml': 'sub edit\n' });
  write(work, manyFiles('operator-notes', untracked, 'untracked'));
}

async function time(fn) {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const templateDir = join(root, 'template');
mkdirSync(templateDir);
const expected = buildTemplate(templateDir);
const rows = [];
const measure = async (label, setup, action) => {
  const samples = [];
  for (let i = 0; i < RUNS; i++) {
    const lab = copyLab(templateDir, `${label.replace(/\W+/g, '-')}-${i}`);
    const state = await setup(lab);
    samples.push((await time(() => action(lab, state))).ms);
    rmSync(lab.dir, { recursive: true, force: true });
  }
  rows.push(
    `| ${label} | ${median(samples).toFixed(0)} | ${Math.min(...samples).toFixed(0)} | ${Math.max(...samples).toFixed(0)} |`,
  );
};
const prepare = (lab) =>
  prepareCheckout({ repoDir: lab.work, backupDir: join(lab.dir, 'backups'), gitEnv: env, expected });

await measure(
  'clean Kilo checkout -> r14.1.0 (fetch, checkout, verify)',
  async () => undefined,
  (lab) => prepare(lab),
);
await measure(
  're-run on a prepared checkout (verify only)',
  async (lab) => prepare(lab),
  (lab) => prepare(lab),
);
for (const untracked of [10, 1000]) {
  await measure(
    `dirty checkout, ${untracked} untracked files (backup + verify, reset, checkout)`,
    async (lab) => dirty(lab.work, untracked),
    (lab) => prepare(lab),
  );
}
await measure(
  'restore of the 1000-untracked-file backup',
  async (lab) => {
    dirty(lab.work, 1000);
    return prepare(lab);
  },
  (lab, report) => restoreBackup({ repoDir: lab.work, backup: report.backup.dir, gitEnv: env }),
);
rmSync(root, { recursive: true, force: true });

console.log(`Lab: rpc-openstack with 500 files + openstack-ansible submodule with 2000 files, bare file:// origins; the
target adds one commit to each. "Dirty" = a local commit, a stash, a staged, an unstaged and a submodule change,
plus N untracked files. ${RUNS} runs each (a fresh copy of the lab per run), milliseconds.

| scenario | median ms | min ms | max ms |
|---|---|---|---|
${rows.join('\n')}`);
