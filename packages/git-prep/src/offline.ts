import { fetchSubmoduleObjects, findMissingObjects, type MissingObject } from './objects.js';
import { fetchTop, openSession, type PrepareOptions } from './prepare.js';
import { checkExpected, resolveTarget } from './target.js';
import type { ExpectedShas } from './releases/index.js';
import type { RetryRecord } from './types.js';

export type OfflineOptions = Omit<PrepareOptions, 'backupDir' | 'offline'>;

export interface OfflineReport {
  repoDir: string;
  target: string;
  /** The commit the tag peels to, or null when the tag is not fetched. */
  commit: string | null;
  /** True when the checkout of the target can be done with no network at all. */
  ready: boolean;
  missing: MissingObject[];
  /** Set when the tag is missing or its SHAs differ from `expected`. */
  problem: string | null;
  expected: ExpectedShas | null;
  retries: RetryRecord[];
}

/**
 * Brings every object the target needs (the tag, each submodule commit it pins) ahead of the maintenance window,
 * without touching the work tree; fails if the target's SHAs differ from `expected`.
 */
export async function prefetch(options: OfflineOptions): Promise<OfflineReport> {
  const session = await openSession(options);
  await fetchTop(session);
  const target = await resolveTarget(session.git, session.repoDir, session.target);
  checkExpected(session.repoDir, target, session.expected);
  await fetchSubmoduleObjects(session.net, session.repoDir, target.commit);
  const missing = await findMissingObjects(session.git, session.repoDir, target.commit);
  return {
    repoDir: session.repoDir,
    target: session.target,
    commit: target.commit,
    ready: missing.length === 0,
    missing,
    problem: null,
    expected: session.expected,
    retries: session.net.retries,
  };
}

/**
 * Proves, with every git transport disabled, that the target and all the submodule commits it pins are already
 * local, so `prepareCheckout({ offline: true })` will succeed without the network. Never throws for a missing
 * object: it reports it.
 */
export async function checkOffline(options: OfflineOptions): Promise<OfflineReport> {
  const session = await openSession({ ...options, offline: true });
  const base = { repoDir: session.repoDir, target: session.target, expected: session.expected, retries: [] };
  let target;
  try {
    target = await resolveTarget(session.git, session.repoDir, session.target);
    checkExpected(session.repoDir, target, session.expected);
  } catch (error) {
    return { ...base, commit: target?.commit ?? null, ready: false, missing: [], problem: (error as Error).message };
  }
  const missing = await findMissingObjects(session.git, session.repoDir, target.commit);
  return { ...base, commit: target.commit, ready: missing.length === 0, missing, problem: null };
}
