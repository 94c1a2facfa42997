import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { requireCommand } from './system.js';

/** An isolated git environment: its own HOME and config, no system config, none of the caller's GIT_* variables. */
export interface GitSandbox {
  home: string;
  env: Record<string, string>;
  /** Runs git with an argument array in `cwd`; returns trimmed stdout. */
  git(cwd: string, args: string[]): Promise<string>;
}

export function gitSandbox(root: string): GitSandbox {
  requireCommand('git');
  const home = join(root, 'git-home');
  mkdirSync(home, { recursive: true });
  writeFileSync(
    join(home, '.gitconfig'),
    [
      '[user]',
      '\tname = Leap Test',
      '\temail = leap-test@example.invalid',
      '[init]',
      '\tdefaultBranch = main',
      '[protocol "file"]',
      '\tallow = always',
      '[commit]',
      '\tgpgSign = false',
      '[tag]',
      '\tgpgSign = false',
      '[gc]',
      '\tauto = 0',
      '[maintenance]',
      '\tauto = false',
      '[advice]',
      '\tdetachedHead = false',
      '',
    ].join('\n'),
  );
  const env: Record<string, string> = {
    HOME: home,
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    GIT_CONFIG_NOSYSTEM: '1',
    LANG: 'C',
  };
  return {
    home,
    env,
    async git(cwd, args) {
      const result = await execa('git', args, { cwd, env, extendEnv: false });
      return result.stdout.trim();
    },
  };
}

/** Creates a repository with the given files committed on `main`; returns its HEAD sha. */
export async function createRepo(
  sandbox: GitSandbox,
  dir: string,
  files: Record<string, string>,
  message = 'initial',
): Promise<string> {
  mkdirSync(dir, { recursive: true });
  await sandbox.git(dir, ['init', '-q', '-b', 'main']);
  return commitFiles(sandbox, dir, files, message);
}

export async function commitFiles(
  sandbox: GitSandbox,
  dir: string,
  files: Record<string, string>,
  message: string,
): Promise<string> {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  await sandbox.git(dir, ['add', '-A']);
  await sandbox.git(dir, ['commit', '-q', '--allow-empty', '-m', message]);
  return sandbox.git(dir, ['rev-parse', 'HEAD']);
}

/** Makes a bare clone of `repoDir` at `bareDir`, points the repo's `origin` at it by file:// URL and pushes tags. */
export async function createBareOrigin(sandbox: GitSandbox, repoDir: string, bareDir: string): Promise<string> {
  const url = pathToFileURL(bareDir).href;
  await sandbox.git(dirname(bareDir), ['init', '-q', '--bare', '-b', 'main', bareDir]);
  const remotes = await sandbox.git(repoDir, ['remote']);
  if (remotes.split('\n').includes('origin')) await sandbox.git(repoDir, ['remote', 'set-url', 'origin', url]);
  else await sandbox.git(repoDir, ['remote', 'add', 'origin', url]);
  await sandbox.git(repoDir, ['push', '-q', 'origin', '--all']);
  await sandbox.git(repoDir, ['push', '-q', 'origin', '--tags']);
  await sandbox.git(repoDir, ['fetch', '-q', 'origin']);
  return url;
}

/** Adds `url` as a submodule at `path` in `repoDir`, checked out at `commit`, and commits the gitlink. */
export async function addSubmodule(
  sandbox: GitSandbox,
  repoDir: string,
  url: string,
  path: string,
  commit: string,
): Promise<string> {
  await sandbox.git(repoDir, ['submodule', 'add', '-q', url, path]);
  await sandbox.git(join(repoDir, path), ['checkout', '-q', commit]);
  await sandbox.git(repoDir, ['add', path]);
  await sandbox.git(repoDir, ['commit', '-q', '-m', `pin ${path} at ${commit.slice(0, 8)}`]);
  return sandbox.git(repoDir, ['rev-parse', 'HEAD']);
}

export async function tag(sandbox: GitSandbox, dir: string, name: string, message?: string): Promise<void> {
  await sandbox.git(dir, message === undefined ? ['tag', name] : ['tag', '-a', name, '-m', message]);
}
