import { liberty } from './liberty.js';
import { mitaka } from './mitaka.js';
import { newton } from './newton.js';
import type { ReleaseMigrations } from './types.js';

/** The migrations of every release a Kilo leap passes through, in the order they must run. */
export const releaseMigrations: readonly ReleaseMigrations[] = [liberty, mitaka, newton];
export { liberty, mitaka, newton };
