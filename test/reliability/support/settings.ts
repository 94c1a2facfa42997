import { randomBytes } from 'node:crypto';

/**
 * The suite's knobs, read from the environment. CI runs the defaults; a heavier run raises the counts, and a
 * failure is replayed with the seed it printed.
 */
export const seed = process.env.LEAP_RELIABILITY_SEED ?? randomBytes(4).toString('hex');

/** SIGKILLs in the crash-and-resume run (at least 20 in CI). */
export const killCount = positive('LEAP_RELIABILITY_KILLS', 20);

/** Ctrl-Cs (SIGINT) mixed into the same run. */
export const interruptCount = positive('LEAP_RELIABILITY_INTERRUPTS', 2);

/** Slow matrix variants (a fetch retried with backoff until it gives up: about two minutes). */
export const heavy = process.env.LEAP_RELIABILITY_HEAVY === '1';

/** Print every matrix case's output (to document or calibrate the cases). */
export const verbose = process.env.LEAP_RELIABILITY_VERBOSE === '1';

/** Appends the seed and how to replay it: every failure message of a seeded test carries it. */
export function withSeed(message: string): string {
  return `${message}\n[seed ${seed}: replay with LEAP_RELIABILITY_SEED=${seed}]`;
}

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, not '${raw}'`);
  return value;
}
