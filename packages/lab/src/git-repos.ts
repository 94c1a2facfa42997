import { appendFileSync, chmodSync, cpSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { labAsset } from './assets.js';
import { requireLabCommand } from './commands.js';
import { LAB_RELEASES, releasesUpTo, type LabRelease } from './releases.js';
import type { LabRepoShas, LabSource } from './types.js';

const AUTHOR = { name: 'Rackspace Private Cloud (leap lab)', email: 'rpc-lab@leap.invalid' };

type Git = (cwd: string, args: string[], date?: string) => Promise<string>;

/**
 * git with the user's and the system's configuration shut out and fixed identities and dates, so two labs
 * built from the same source get the same SHAs wherever they live.
 */
function makeGit(): Git {
  const git = requireLabCommand('git');
  return async (cwd, args, date = LAB_RELEASES.kilo.date) => {
    const result = await execa(git, ['-c', 'protocol.file.allow=always', ...args], {
      cwd,
      extendEnv: false,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: process.env.HOME ?? cwd,
        LC_ALL: 'C',
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_CONFIG_GLOBAL: '/dev/null',
        GIT_TERMINAL_PROMPT: '0',
        GIT_AUTHOR_NAME: AUTHOR.name,
        GIT_AUTHOR_EMAIL: AUTHOR.email,
        GIT_COMMITTER_NAME: AUTHOR.name,
        GIT_COMMITTER_EMAIL: AUTHOR.email,
        GIT_AUTHOR_DATE: date,
        GIT_COMMITTER_DATE: date,
      },
    });
    return result.stdout.trim();
  };
}

export interface LabRepos {
  rpco: LabRepoShas;
  osa: LabRepoShas;
  /** The bare origins (file:// URLs). */
  origins: { rpco: string; osa: string };
}

/**
 * Builds openstack-ansible and rpc-openstack with one commit and tag per release up to the source, then
 * r14.1.0; publishes them as bare origins under dir/git and clones rpc-openstack (with its submodule) to
 * dir/opt/rpc-openstack, checked out at the source tag with uncommitted local changes.
 */
export async function buildLabRepos(dir: string, source: LabSource): Promise<LabRepos> {
  const git = makeGit();
  const gitRoot = join(dir, 'git');
  const work = join(gitRoot, 'work');
  const releases: LabRelease[] = [...releasesUpTo(source), 'newton'];

  const osaWork = join(work, 'openstack-ansible');
  await initRepo(git, osaWork);
  const osaCommits = new Map<LabRelease, string>();
  for (const release of releases) {
    replaceTree(osaWork, (root) => writeOsaTree(root, release));
    osaCommits.set(
      release,
      await commitAndTag(
        git,
        osaWork,
        release,
        LAB_RELEASES[release].osaTag,
        `OpenStack-Ansible ${LAB_RELEASES[release].osaTag}`,
      ),
    );
  }

  const rpcWork = join(work, 'rpc-openstack');
  await initRepo(git, rpcWork);
  const rpcCommits = new Map<LabRelease, string>();
  for (const release of releases) {
    replaceTree(rpcWork, (root) => writeRpcTree(root, release));
    // The gitlink has no work tree here, so stage everything first and pin the submodule last.
    await git(rpcWork, ['add', '-A'], LAB_RELEASES[release].date);
    await git(rpcWork, [
      'update-index',
      '--add',
      '--cacheinfo',
      `160000,${osaCommits.get(release)!},openstack-ansible`,
    ]);
    rpcCommits.set(
      release,
      await commitAndTag(
        git,
        rpcWork,
        release,
        LAB_RELEASES[release].rpcTag,
        `rpc-openstack ${LAB_RELEASES[release].rpcTag}`,
        false,
      ),
    );
  }

  const osaOrigin = join(gitRoot, 'openstack-ansible.git');
  const rpcOrigin = join(gitRoot, 'rpc-openstack.git');
  await git(gitRoot, ['clone', '-q', '--bare', '--no-local', osaWork, osaOrigin]);
  await git(gitRoot, ['clone', '-q', '--bare', '--no-local', rpcWork, rpcOrigin]);
  rmSync(work, { recursive: true, force: true });

  const checkout = join(dir, 'opt', 'rpc-openstack');
  mkdirSync(join(dir, 'opt'), { recursive: true });
  await git(join(dir, 'opt'), ['clone', '-q', pathToFileURL(rpcOrigin).href, checkout]);
  await git(checkout, ['config', 'protocol.file.allow', 'always']);
  await git(checkout, ['checkout', '-q', LAB_RELEASES[source].rpcTag]);
  await git(checkout, ['submodule', 'update', '--init', '-q']);
  await git(join(checkout, 'openstack-ansible'), ['config', 'protocol.file.allow', 'always']);
  makeLocalChanges(checkout);

  return {
    rpco: {
      sourceTag: LAB_RELEASES[source].rpcTag,
      source: rpcCommits.get(source)!,
      targetTag: LAB_RELEASES.newton.rpcTag,
      target: rpcCommits.get('newton')!,
    },
    osa: {
      sourceTag: LAB_RELEASES[source].osaTag,
      source: osaCommits.get(source)!,
      targetTag: LAB_RELEASES.newton.osaTag,
      target: osaCommits.get('newton')!,
    },
    origins: { rpco: pathToFileURL(rpcOrigin).href, osa: pathToFileURL(osaOrigin).href },
  };
}

async function initRepo(git: Git, path: string): Promise<void> {
  mkdirSync(path, { recursive: true });
  await git(path, ['init', '-q', '-b', 'master']);
}

async function commitAndTag(
  git: Git,
  repo: string,
  release: LabRelease,
  tag: string,
  title: string,
  stage = true,
): Promise<string> {
  const date = LAB_RELEASES[release].date;
  if (stage) await git(repo, ['add', '-A'], date);
  await git(repo, ['commit', '-q', '--no-verify', '-m', `${title} (leap lab stand-in)`], date);
  await git(repo, ['tag', '-a', tag, '-m', title], date);
  return git(repo, ['rev-parse', 'HEAD'], date);
}

/** Empties the work tree (keeping .git) and writes the next release's files. */
function replaceTree(root: string, write: (root: string) => void): void {
  for (const entry of readdirSync(root))
    if (entry !== '.git') rmSync(join(root, entry), { recursive: true, force: true });
  write(root);
}

function writeOsaTree(root: string, release: LabRelease): void {
  const { osaTag, codename } = LAB_RELEASES[release];
  writeFileSync(
    join(root, 'README.rst'),
    `OpenStack-Ansible ${osaTag} (${codename})\n${'='.repeat(26 + osaTag.length + codename.length)}\n\n` +
      'A leap lab stand-in: the files a leap touches, not the real project.\n',
  );
  cpSync(labAsset('env.d/kilo'), join(root, 'etc/openstack_deploy/env.d'), {
    recursive: true,
    filter: (src) => !src.endsWith('.skeleton'),
  });
  if (release === 'newton') {
    copyAsset('osa/playbooks', join(root, 'playbooks'));
    copyAsset('osa/scripts', join(root, 'scripts'));
    copyAsset('osa/global-requirement-pins.txt', join(root, 'global-requirement-pins.txt'));
  } else {
    mkdirSync(join(root, 'playbooks'), { recursive: true });
    writeFileSync(
      join(root, 'playbooks/README.lab.md'),
      `The lab does not ship the ${codename} playbooks: a leap runs only the r14.1.0 ones.\n`,
    );
  }
  // OSA names its venvs after openstack_release (/openstack/venvs/<service>-<release>); leap reads it here.
  mkdirSync(join(root, 'playbooks/inventory/group_vars'), { recursive: true });
  writeFileSync(
    join(root, 'playbooks/inventory/group_vars/all.yml'),
    `---\n# OpenStack-Ansible ${osaTag} (${codename}): a leap lab stand-in with only the release.\nopenstack_release: ${osaTag}\n`,
  );
}

function writeRpcTree(root: string, release: LabRelease): void {
  const { rpcTag, osaTag, codename } = LAB_RELEASES[release];
  // A relative URL resolves against the clone's origin, so the commit does not depend on where the lab lives.
  writeFileSync(
    join(root, '.gitmodules'),
    '[submodule "openstack-ansible"]\n\tpath = openstack-ansible\n\turl = ../openstack-ansible.git\n',
  );
  writeFileSync(
    join(root, 'README.md'),
    `# rpc-openstack ${rpcTag} (${codename})\n\nA leap lab stand-in; OpenStack-Ansible ${osaTag} is the submodule.\n`,
  );
  mkdirSync(join(root, 'rpcd/etc/openstack_deploy'), { recursive: true });
  mkdirSync(join(root, 'scripts'), { recursive: true });
  writeFileSync(
    join(root, 'scripts/deploy.sh'),
    '#!/bin/sh\necho "deploy.sh (leap lab stand-in): not used by a leap"\n',
  );
  chmodSync(join(root, 'scripts/deploy.sh'), 0o755);
  if (release === 'newton') {
    // Like RPC-O's own script, the stand-in runs OpenStack-Ansible's bootstrap from the submodule.
    writeFileSync(
      join(root, 'scripts/bootstrap-ansible.sh'),
      '#!/bin/sh\nset -e\ncd "$(dirname "$0")/.."\n' +
        'echo "rpc-openstack bootstrap-ansible.sh (leap lab stand-in)"\nexec ./openstack-ansible/scripts/bootstrap-ansible.sh\n',
    );
    chmodSync(join(root, 'scripts/bootstrap-ansible.sh'), 0o755);
    copyAsset('rpc/rpcd', join(root, 'rpcd'));
    copyAsset('rpc/group_vars', join(root, 'group_vars'));
  } else {
    writeFileSync(
      join(root, 'rpcd/etc/openstack_deploy/user_extras_variables.yml'),
      `---\n# rpc-openstack ${rpcTag}: template of /etc/openstack_deploy/user_extras_variables.yml\nrpc_release: "${rpcTag}"\nmaas_scheme: https\n`,
    );
  }
}

/** Copies an asset file or folder with normalised modes (scripts 755, the rest 644), whatever the install's umask. */
function copyAsset(asset: string, target: string): void {
  cpSync(labAsset(asset), target, { recursive: true });
  const normalise = (path: string): void => {
    if (!statSync(path).isDirectory()) chmodSync(path, /\.(sh|py)$/.test(path) ? 0o755 : 0o644);
    else for (const entry of readdirSync(path)) normalise(join(path, entry));
  };
  normalise(target);
}

/** The guide's "back that up" case: a modified tracked file, an untracked file, and a change inside the submodule. */
function makeLocalChanges(checkout: string): void {
  appendFileSync(
    join(checkout, 'rpcd/etc/openstack_deploy/user_extras_variables.yml'),
    '# local change (CHG0815): keep MaaS checks on the old endpoint until the F5 is updated\nmaas_target_alias: public1_v4\n',
  );
  writeFileSync(join(checkout, 'scripts/operator-notes.txt'), 'Local notes of the operator; not in git.\n');
  appendFileSync(join(checkout, 'openstack-ansible/README.rst'), '\nLocal hotfix applied on the deploy host.\n');
}
