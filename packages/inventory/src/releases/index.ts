import { liberty } from './liberty.js';
import { mitaka } from './mitaka.js';
import { newton } from './newton.js';
import type { ReleaseTable } from './types.js';
import { InventoryError } from '../errors.js';

/** The leap steps in order; a future leap adds a table here. */
export const RELEASES: readonly ReleaseTable[] = [liberty, mitaka, newton];

export function releaseTable(name: string): ReleaseTable {
  const table = RELEASES.find((r) => r.name === name);
  if (table === undefined) {
    throw new InventoryError('LEAP_UNKNOWN_RELEASE', `no inventory step for release "${name}"`, {
      hint: `use one of ${RELEASES.map((r) => r.name).join(', ')}`,
    });
  }
  return table;
}
