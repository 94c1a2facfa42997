import { resolve } from 'node:path';
import { backupCheckout, resetCheckout, type BackupResult } from './backup.js';
import { requireWritableBackupDir } from './backup-dir.js';
import { checkoutTarget } from './checkout.js';
import { childEnvironment } from './env.js';
import { GitPrepError } from './errors.js';
import { runNetworkGit, type NetworkCallContext } from './fetch-retry.js';
import { createGit, type Git } from './git.js';
import { allRepos, inspectRepo, requireRepository, wouldLoseWork, type RepoInspection } from './inspect.js';
import { fetchSubmoduleObjects, findMissingObjects } from './objects.js';
import { requireSafeState } from './preconditions.js';
import { DEFAULT_TARGET, expectedShasFor, type ExpectedShas } from './releases/index.js';
import { checkExpected, resolveTarget, type TargetTree } from './target.js';
import { DEFAULT_RETRY, type GitContextOptions, type RetryPolicy, type RetryRecord } from './types.js';
import { verifyCheckout, type RepoHead } from './verify.js';

export interface PrepareOptions extends GitContextOptions {
  /** The rpc-openstack checkout, e.g. /opt/rpc-openstack. */
  repoDir: string;
  /** The tag to put it on. Default r14.1.0. */
  target?: string;
  /** The remote of the top-level repo to fetch from. Default origin. */
  remote?: string;
  /** Where uncommitted work is saved (a timestamped folder is created inside) before anything is reset. */
  backupDir: string;
  /**
   * The SHAs the target must have. Default: the ones leap ships for the target (the real r14.1.0 pair);
   * a lab passes its own. `null` skips the comparison (never in production).
   */
  expected?: ExpectedShas | null;
  retry?: Partial<RetryPolicy>;
  /** Use only what is already fetched: no fetch, and every git transport is disabled. */
  offline?: boolean;
}

/** What the repo looked like before: enough to tell the operator what was saved. */
export interface RepoBefore {
  path: string;
  head: string;
  branch: string | null;
  describe: string | null;
  modified: string[];
  staged: string[];
  untracked: string[];
  stashes: number;
  localCommits: number;
}

export interface PrepareReport {
  repoDir: string;
  target: string;
  /** False when the checkout was already prepared and verified: nothing was fetched or changed. */
  changed: boolean;
  before: RepoBefore[];
  after: RepoHead[];
  /** The verified backup written before resetting, or null when nothing would have been lost. */
  backup: BackupResult | null;
  /** Every failed network attempt, transient ones followed by a retry. */
  retries: RetryRecord[];
  expected: ExpectedShas | null;
}

export interface Session {
  git: Git;
  net: NetworkCallContext;
  repoDir: string;
  target: string;
  remote: string;
  expected: ExpectedShas | null;
}

export async function openSession(options: Omit<PrepareOptions, 'backupDir'>): Promise<Session> {
  const git = createGit(childEnvironment(options.gitEnv, options.offline === true), options.signal);
  const target = options.target ?? DEFAULT_TARGET;
  const repoDir = await requireRepository(git, resolve(options.repoDir));
  return {
    git,
    net: {
      git,
      policy: { ...DEFAULT_RETRY, ...options.retry },
      retries: [],
      log: options.log,
      onProgress: options.onProgress,
    },
    repoDir,
    target,
    remote: options.remote ?? 'origin',
    expected: options.expected === undefined ? (expectedShasFor(target) ?? null) : options.expected,
  };
}

/** Fetches the top-level repo (tags included), with retry. */
export async function fetchTop(session: Session): Promise<void> {
  session.net.onProgress?.({ phase: 'fetch', repo: '.', message: `git fetch --tags ${session.remote}` });
  await runNetworkGit(session.net, `fetch ${session.remote}`, '.', session.repoDir, [
    'fetch',
    '--tags',
    '--no-recurse-submodules',
    session.remote,
  ]);
}

/**
 * Puts the checkout on the target tag: inspect, fetch (with retry), check the target's SHAs, back up and verify
 * whatever would be lost, reset and clean, check out, update submodules, verify. A re-run on a prepared checkout
 * only verifies. Bad input (not a repo, a lock, an unfinished rebase, a missing tag, wrong SHAs, an unwritable
 * backup folder) fails before the work tree is touched.
 */
export async function prepareCheckout(options: PrepareOptions): Promise<PrepareReport> {
  const session = await openSession(options);
  const { git, repoDir, expected } = session;
  const progress = options.onProgress;

  progress?.({ phase: 'inspect', repo: '.', message: `inspecting ${repoDir} and its submodules` });
  const top = await inspectRepo(git, repoDir);
  requireSafeState(top);
  const before = allRepos(top).map(summarise);
  const report = (changed: boolean, after: RepoHead[], backup: BackupResult | null): PrepareReport => ({
    repoDir,
    target: session.target,
    changed,
    before,
    after,
    backup,
    retries: session.net.retries,
    expected,
  });

  const already = await alreadyPrepared(session, top);
  if (already !== null) {
    options.log?.info(`${repoDir} is already on ${session.target} and verified`, { repoDir });
    return report(false, already, null);
  }

  const losing = allRepos(top).filter(wouldLoseWork);
  if (losing.length > 0) requireWritableBackupDir(options.backupDir, losing);

  if (options.offline !== true) await fetchTop(session);
  progress?.({ phase: 'verify-target', repo: '.', message: `checking ${session.target} against the expected SHAs` });
  const target = await resolveTarget(git, repoDir, session.target);
  checkExpected(repoDir, target, expected);
  if (options.offline === true) await requireNothingMissing(session, target);
  else await fetchSubmoduleObjects(session.net, repoDir, target.commit);

  const backup = await backupCheckout(git, top, options.backupDir, session.target, progress);
  if (backup !== null)
    options.log?.info(`uncommitted work backed up and verified in ${backup.dir}`, { backup: backup.dir });
  await resetCheckout(git, top, progress);
  await checkoutTarget(session.net, repoDir, target);

  progress?.({ phase: 'verify', repo: '.', message: 'verifying the SHAs of the repo and its submodules' });
  const after = await verifyCheckout(git, repoDir, target, expected);
  return report(true, after, backup);
}

async function alreadyPrepared(session: Session, top: RepoInspection): Promise<RepoHead[] | null> {
  if (allRepos(top).some((repo) => repo.modified.length + repo.staged.length + repo.untracked.length > 0)) return null;
  let target: TargetTree;
  try {
    target = await resolveTarget(session.git, session.repoDir, session.target);
  } catch {
    return null;
  }
  if (target.commit !== top.head) return null;
  try {
    return await verifyCheckout(session.git, session.repoDir, target, session.expected);
  } catch {
    // A wrong SHA on the tag we are already on is not fixed by fetching again: say so now.
    checkExpected(session.repoDir, target, session.expected);
    return null;
  }
}

async function requireNothingMissing(session: Session, target: TargetTree): Promise<void> {
  const missing = await findMissingObjects(session.git, session.repoDir, target.commit);
  if (missing.length > 0) {
    throw new GitPrepError(
      'LEAP_GIT_NOT_OFFLINE_READY',
      `${session.repoDir} cannot be put on ${target.tag} offline: ${missing.map((m) => `${m.path} ${m.commit.slice(0, 12)} (${m.reason})`).join(', ')}`,
      {
        hint: 'run the prefetch step while the network is available, then re-run; nothing was changed',
        file: session.repoDir,
      },
    );
  }
}

function summarise(repo: RepoInspection): RepoBefore {
  return {
    path: repo.path,
    head: repo.head,
    branch: repo.branch,
    describe: repo.describe,
    modified: repo.modified,
    staged: repo.staged,
    untracked: repo.untracked,
    stashes: repo.stashes.length,
    localCommits: repo.localCommits.length,
  };
}
