import { readFile, rm, stat } from 'node:fs/promises';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { isProcessAlive, writeFileAtomic } from '@leap/contract';
import { MarkersError } from './errors.js';
import { currentIdentity } from './identity.js';

/** The lock itself: a folder created by proper-lockfile (mkdir is atomic), refreshed while held. */
export const LOCK_DIR_NAME = 'leap.lock';
/** Who holds the lock, written right after acquiring it. */
export const LOCK_SIDECAR_NAME = 'leap.lock.json';
/** The lock folder's mtime is refreshed every staleMs/4; one not refreshed for staleMs means its holder is gone. */
export const DEFAULT_STALE_MS = 20_000;

export interface LockOwner {
  pid: number;
  host: string;
  user: string;
  /** The command line the owner was started with, e.g. `leap run`. */
  command: string;
  startedAt: string;
}

export type LockState =
  | { state: 'free' }
  /** `owner` is undefined when the holder died before writing the sidecar, or the sidecar is unreadable. */
  | { state: 'held'; alive: boolean; owner: LockOwner | undefined; lockDir: string; refreshedAt: string };

export interface RunLock {
  readonly owner: LockOwner;
  /** Aborted if the lock is lost while held (its folder removed or not refreshed in time). */
  readonly signal: AbortSignal;
  /** The dead owner whose lock was taken over with `forceUnlock`, if any. */
  readonly tookOverFrom: LockOwner | undefined;
  release(): Promise<void>;
}

export interface AcquireRunLockOptions {
  /** Recorded in the sidecar so a refused operator sees what holds the lock. */
  command?: string;
  /** Take over a lock whose owner is dead. A lock whose owner is alive is never taken. */
  forceUnlock?: boolean;
  staleMs?: number;
}

function parseOwner(text: string): LockOwner | undefined {
  const value = JSON.parse(text) as Partial<LockOwner>;
  if (typeof value.pid !== 'number' || typeof value.host !== 'string') return undefined;
  return {
    pid: value.pid,
    host: value.host,
    user: String(value.user ?? 'unknown'),
    command: String(value.command ?? 'unknown'),
    startedAt: String(value.startedAt ?? 'unknown'),
  };
}

async function readOwner(dir: string): Promise<LockOwner | undefined> {
  try {
    return parseOwner(await readFile(join(dir, LOCK_SIDECAR_NAME), 'utf8'));
  } catch {
    return undefined;
  }
}

/** For the exit handler, which cannot wait. */
function readOwnerSync(dir: string): LockOwner | undefined {
  try {
    return parseOwner(readFileSync(join(dir, LOCK_SIDECAR_NAME), 'utf8'));
  } catch {
    return undefined;
  }
}

/** Whether a leap holds the lock of this marker folder, who, and whether that process still lives. */
export async function readRunLock(dir: string, options: { staleMs?: number } = {}): Promise<LockState> {
  const staleMs = options.staleMs ?? DEFAULT_STALE_MS;
  const lockDir = join(dir, LOCK_DIR_NAME);
  let mtimeMs: number;
  try {
    mtimeMs = (await stat(lockDir)).mtimeMs;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'free' };
    throw error;
  }
  const owner = await readOwner(dir);
  const refreshed = Date.now() - mtimeMs <= staleMs;
  // On this host the pid answers at once; elsewhere (or with no sidecar) only the refresh tells.
  // Both must hold on this host: after a reboot the recorded pid may belong to another process.
  const alive =
    owner !== undefined && owner.host === currentIdentity().host ? refreshed && isProcessAlive(owner.pid) : refreshed;
  return { state: 'held', alive, owner, lockDir, refreshedAt: new Date(mtimeMs).toISOString() };
}

export function describeOwner(owner: LockOwner | undefined): string {
  if (owner === undefined) return 'an unknown process (no readable owner record)';
  return `pid ${owner.pid} on ${owner.host}, user ${owner.user}, command "${owner.command}", started ${owner.startedAt}`;
}

function heldError(dir: string, state: Extract<LockState, { state: 'held' }>): MarkersError {
  const file = join(dir, LOCK_SIDECAR_NAME);
  if (state.alive) {
    return new MarkersError(
      'LEAP_LOCK_HELD',
      `another leap is running on this marker folder: ${describeOwner(state.owner)}`,
      {
        file,
        host: state.owner?.host,
        hint: 'wait for it to finish (leap status shows its progress); only one leap may run at a time',
      },
    );
  }
  return new MarkersError(
    'LEAP_LOCK_STALE',
    `a previous leap left its lock behind and is no longer running: ${describeOwner(state.owner)}; lock last refreshed ${state.refreshedAt}`,
    {
      file,
      host: state.owner?.host,
      hint: 'the previous run was killed or crashed. Make sure no leap runs on this deploy host, then re-run with --force-unlock to take the lock over',
    },
  );
}

/**
 * Takes the run lock of a marker folder. Refused with LEAP_LOCK_HELD (owner alive) or LEAP_LOCK_STALE
 * (owner dead; taken over only with `forceUnlock`). Never takes a lock over silently.
 */
export async function acquireRunLock(dir: string, options: AcquireRunLockOptions = {}): Promise<RunLock> {
  const staleMs = options.staleMs ?? DEFAULT_STALE_MS;
  const before = await readRunLock(dir, { staleMs });
  let tookOverFrom: LockOwner | undefined;
  if (before.state === 'held') {
    if (before.alive || options.forceUnlock !== true) throw heldError(dir, before);
    tookOverFrom = before.owner;
    await removeLock(dir);
  }
  const controller = new AbortController();
  const release = await takeLockDir(dir, staleMs, controller);
  const me = currentIdentity();
  const owner: LockOwner = {
    pid: me.pid,
    host: me.host,
    user: me.user,
    command: options.command ?? process.argv.slice(1).join(' '),
    startedAt: new Date().toISOString(),
  };
  try {
    await writeFileAtomic(join(dir, LOCK_SIDECAR_NAME), `${JSON.stringify(owner, null, 2)}\n`);
  } catch (error) {
    await release().catch(() => undefined);
    throw error;
  }
  let released = false;
  let sidecarGone = false;
  const isOurs = (current: LockOwner | undefined) =>
    current?.pid === owner.pid && current.host === owner.host && current.startedAt === owner.startedAt;
  // A second Ctrl-C exits at once (process.exit), possibly while release() is still under way: proper-lockfile
  // then removes the lock folder, and this removes the sidecar if it is still ours.
  const removeSidecarOnExit = () => {
    if (!sidecarGone && isOurs(readOwnerSync(dir))) rmSync(join(dir, LOCK_SIDECAR_NAME), { force: true });
  };
  process.once('exit', removeSidecarOnExit);
  return {
    owner,
    signal: controller.signal,
    tookOverFrom,
    async release() {
      if (released) return;
      released = true;
      // After a lost lock the sidecar may be a new owner's; remove only our own.
      if (isOurs(await readOwner(dir))) await rm(join(dir, LOCK_SIDECAR_NAME), { force: true });
      sidecarGone = true;
      process.off('exit', removeSidecarOnExit);
      // Already released if the lock was compromised; nothing left to undo then.
      await release().catch(() => undefined);
    },
  };
}

/** Creates the lock folder (proper-lockfile keeps it fresh); a lost lock aborts `controller`. */
async function takeLockDir(dir: string, staleMs: number, controller: AbortController): Promise<() => Promise<void>> {
  // Loaded here, not with the module: proper-lockfile brings graceful-fs, which reading a lock never needs.
  const { default: lockfile } = await import('proper-lockfile');
  try {
    return await lockfile.lock(join(dir, 'leap'), {
      lockfilePath: join(dir, LOCK_DIR_NAME),
      realpath: false,
      stale: staleMs,
      update: Math.max(1000, Math.floor(staleMs / 4)),
      retries: 0,
      onCompromised: (error) =>
        controller.abort(
          new MarkersError(
            'LEAP_LOCK_COMPROMISED',
            `the run lock ${join(dir, LOCK_DIR_NAME)} was lost while held: ${error.message}`,
            {
              file: join(dir, LOCK_DIR_NAME),
              cause: error,
              hint: 'something removed or stopped refreshing the lock; check that no other leap runs, then run leap again',
            },
          ),
        ),
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOCKED') {
      const now = await readRunLock(dir, { staleMs });
      if (now.state === 'held') throw heldError(dir, now);
    }
    throw new MarkersError('LEAP_LOCK_FAILED', `cannot take the run lock in ${dir}: ${(error as Error).message}`, {
      file: join(dir, LOCK_DIR_NAME),
      cause: error,
      hint: 'check that the marker folder exists and is writable by this user',
    });
  }
}

async function removeLock(dir: string): Promise<void> {
  await rm(join(dir, LOCK_SIDECAR_NAME), { force: true });
  await rm(join(dir, LOCK_DIR_NAME), { recursive: true, force: true });
}

/**
 * Removes the lock left by a dead leap and returns its owner (undefined if there was no lock).
 * Refuses with LEAP_LOCK_HELD while the owner is alive.
 */
export async function forceUnlock(dir: string, options: { staleMs?: number } = {}): Promise<LockOwner | undefined> {
  const state = await readRunLock(dir, options);
  if (state.state === 'free') return undefined;
  if (state.alive) throw heldError(dir, state);
  await removeLock(dir);
  return state.owner;
}
