import {
  chmodSync,
  cpSync,
  existsSync,
  lstatSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  addSubmodule,
  commitFiles,
  createBareOrigin,
  createRepo,
  gitSandbox,
  makeTempDir,
  tag,
  tempDir,
  type GitSandbox,
} from '@leap/test-fixtures';
import type { ExpectedShas } from '../src/index.js';

/**
 * An rpc-openstack checkout at "Kilo" with its openstack-ansible submodule, cloned from bare file:// origins.
 * The "Newton" target (tag r14.1.0 and the submodule commit it pins) is pushed upstream after the clone, so the
 * checkout must fetch both to reach it.
 */
export interface Lab {
  sb: GitSandbox;
  root: string;
  /** The operator's checkout (/opt/rpc-openstack). */
  work: string;
  sub: string;
  rpcBare: string;
  osaBare: string;
  kilo: { commit: string; osa: string };
  newton: ExpectedShas & { osa: string };
  backupDir: string;
}

let template: Promise<Lab> | undefined;

/** A fresh lab for one test: a copy of a template built once per test file (building it takes ~40 git commands). */
export async function makeLab(): Promise<Lab> {
  template ??= buildLab(makeTempDir('leap-git-prep-template-'));
  const source = await template;
  const root = tempDir('leap-git-prep-');
  cpSync(source.root, root, { recursive: true, verbatimSymlinks: true });
  const sb = gitSandbox(root);
  const work = join(root, 'opt', 'rpc-openstack');
  await sb.git(work, ['remote', 'set-url', 'origin', pathToFileURL(join(root, 'rpc-openstack.git')).href]);
  // The submodule URL is relative (../openstack-ansible.git), so a sync points it at this copy's bare repo.
  await sb.git(work, ['submodule', 'sync', '-q']);
  return {
    ...source,
    sb,
    root,
    work,
    sub: join(work, 'openstack-ansible'),
    rpcBare: join(root, 'rpc-openstack.git'),
    osaBare: join(root, 'openstack-ansible.git'),
    backupDir: join(root, 'backups'),
  };
}

async function buildLab(root: string): Promise<Lab> {
  process.on('exit', () => rmSync(root, { recursive: true, force: true }));
  const sb = gitSandbox(root);
  const osaSrc = join(root, 'osa-src');
  const osaKilo = await createRepo(sb, osaSrc, {
    'README.rst': 'openstack-ansible kilo\n',
    'playbooks/setup.yml': '- hosts: all\n',
  });
  await tag(sb, osaSrc, '11.2.17', 'kilo');
  const osaBare = join(root, 'openstack-ansible.git');
  await createBareOrigin(sb, osaSrc, osaBare);

  const rpcSrc = join(root, 'rpc-src');
  await createRepo(sb, rpcSrc, {
    'README.md': 'rpc-openstack\n',
    'scripts/deploy.sh': '#!/bin/sh\necho deploy\n',
    '.gitignore': '*.log\n',
    'rpcd/etc/user_variables.yml': 'kilo: true\n',
  });
  const rpcKilo = await addSubmodule(sb, rpcSrc, '../openstack-ansible.git', 'openstack-ansible', osaKilo);
  await tag(sb, rpcSrc, 'r11.1.18', 'kilo release');
  const rpcBare = join(root, 'rpc-openstack.git');
  const rpcUrl = await createBareOrigin(sb, rpcSrc, rpcBare);

  const work = join(root, 'opt', 'rpc-openstack');
  await sb.git(root, ['clone', '-q', '--recurse-submodules', rpcUrl, work]);

  const osaNewton = await commitFiles(
    sb,
    osaSrc,
    { 'README.rst': 'openstack-ansible newton\n', 'playbooks/setup.yml': '- hosts: all\n  gather_facts: true\n' },
    'newton',
  );
  await tag(sb, osaSrc, '14.2.3', 'newton');
  await sb.git(osaSrc, ['push', '-q', 'origin', 'main', '--tags']);
  await sb.git(join(rpcSrc, 'openstack-ansible'), ['fetch', '-q', 'origin']);
  await sb.git(join(rpcSrc, 'openstack-ansible'), ['checkout', '-q', osaNewton]);
  await commitFiles(
    sb,
    rpcSrc,
    {
      'README.md': 'rpc-openstack newton\n',
      'rpcd/etc/user_variables.yml': 'newton: true\n',
      'scripts/leapfrog/ubuntu14-leapfrog.sh': '#!/bin/sh\n',
    },
    'LA-384 cleanups',
  );
  const rpcNewton = await sb.git(rpcSrc, ['rev-parse', 'HEAD']);
  await tag(sb, rpcSrc, 'r14.1.0', 'r14.1.0');
  await tag(sb, rpcSrc, 'r14.0.0', 'an older newton tag');
  await sb.git(rpcSrc, ['push', '-q', 'origin', 'main', '--tags']);

  return {
    sb,
    root,
    work,
    sub: join(work, 'openstack-ansible'),
    rpcBare,
    osaBare,
    kilo: { commit: rpcKilo, osa: osaKilo },
    newton: { commit: rpcNewton, osa: osaNewton, submodules: { 'openstack-ansible': osaNewton } },
    backupDir: join(root, 'backups'),
  };
}

/** Every file under `dir` except .git: content, mode and symlink target, for byte-for-byte comparisons. */
export function snapshotTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string): void => {
    for (const entry of readdirSync(join(dir, rel)).sort()) {
      if (entry === '.git') continue;
      const path = rel === '' ? entry : `${rel}/${entry}`;
      const stat = lstatSync(join(dir, path));
      if (stat.isDirectory()) walk(path);
      else if (stat.isSymbolicLink()) out[path] = `link -> ${readlinkSync(join(dir, path))}`;
      else out[path] = `${(stat.mode & 0o777).toString(8)} ${readFileSync(join(dir, path)).toString('base64')}`;
    }
  };
  walk('');
  return out;
}

/** Makes every kind of change the guide's `reset --hard` / `clean -df` would destroy, in the repo and the submodule. */
export async function makeDirty(lab: Lab): Promise<void> {
  const { sb, work, sub } = lab;
  await commitFiles(sb, work, { 'rpcd/etc/local-override.yml': 'operator: commit\n' }, 'operator tweak, never pushed');
  writeFileSync(join(work, 'README.md'), 'stashed edit\n');
  await sb.git(work, ['stash', 'push', '-q', '-m', 'first stash']);
  writeFileSync(join(work, 'stash-untracked.txt'), 'stashed untracked\n');
  writeFileSync(join(work, 'scripts/deploy.sh'), '#!/bin/sh\necho stashed\n');
  await sb.git(work, ['stash', 'push', '-q', '-u', '-m', 'second stash with untracked']);

  writeFileSync(join(work, 'README.md'), 'staged edit\n');
  await sb.git(work, ['add', 'README.md']);
  writeFileSync(join(work, 'README.md'), 'staged edit\nthen an unstaged line\n');
  writeFileSync(join(work, 'rpcd/etc/staged-new.yml'), 'new: staged\n');
  await sb.git(work, ['add', 'rpcd/etc/staged-new.yml']);
  writeFileSync(join(work, 'rpcd/etc/user_variables.yml'), Buffer.from([0x6b, 0x3a, 0x20, 0xe9, 0x00, 0xff, 0x0a]));
  chmodSync(join(work, 'scripts/deploy.sh'), 0o644);
  await sb.git(work, ['rm', '-q', '--cached', 'rpcd/etc/local-override.yml']);
  writeFileSync(join(work, 'notes.txt'), 'operator notes\n');
  writeFileSync(join(work, 'rpcd/blob.bin'), Buffer.from(Array.from({ length: 256 }, (_, i) => i)));
  writeFileSync(join(work, 'debug.log'), 'ignored, must survive\n');

  writeFileSync(join(sub, 'playbooks/setup.yml'), '- hosts: all\n  # local hack\n');
  writeFileSync(join(sub, 'playbooks/extra.yml'), '- hosts: localhost\n');
}

/**
 * A stand-in for a rate-limited GitHub: an upload-pack that answers like GitHub's rate limiter for its first
 * `failures` invocations, then serves the real repository. Returns the script path and a call counter.
 */
export function flakyUploadPack(
  lab: Lab,
  failures: number,
  message = 'remote: API rate limit exceeded for 203.0.113.7',
): { script: string; calls: () => number } {
  const counter = join(lab.root, `upload-pack-calls-${Math.random().toString(36).slice(2)}`);
  const script = `${counter}.sh`;
  writeFileSync(
    script,
    [
      '#!/bin/sh',
      `n=$(cat '${counter}' 2>/dev/null || echo 0); n=$((n+1)); echo $n > '${counter}'`,
      `if [ $n -le ${failures} ]; then echo '${message}' >&2; exit 1; fi`,
      'exec git-upload-pack "$@"',
      '',
    ].join('\n'),
  );
  chmodSync(script, 0o755);
  return { script, calls: () => (existsSync(counter) ? Number(readFileSync(counter, 'utf8').trim()) : 0) };
}
