import type { InventoryErrorCode } from '../errors.js';
import type { GeneratorRules } from '../inventory/rules.js';
import type { ReleaseName } from '../types.js';

export interface EnvdChanges {
  /** Files of `data/env.d/<release>/` copied into `/etc/openstack_deploy/env.d` when missing (`all`: every one). */
  copyIfMissing: readonly string[] | 'all';
  /** Files of `data/env.d/<release>/` whose missing keys and list items are merged into the operator's copy. */
  mergeMissing: readonly string[];
  /** Components removed from `component_skel` and from every `container_skel.*.contains` of a file. */
  removeComponents: readonly { file: string; components: readonly string[] }[];
}

export interface SecretChanges {
  /** Which file: the fixed `user_secrets.yml`, or the one named by `osa_secrets_file_name` (Newton). */
  file: 'user_secrets.yml' | 'osa_secrets_file_name';
  /** Renamed keys, value kept, applied before `add`. */
  rename: readonly (readonly [string, string])[];
  /** Keys added (value from crypto) when missing or empty. */
  add: readonly string[];
}

export interface VariableGuard {
  variable: string;
  /** Stop when the variable is set to a true value. */
  code: InventoryErrorCode;
  message: string;
  hint: string;
}

/** Everything one leap step (previous release -> `name`) changes, as data. */
export interface ReleaseTable {
  name: Exclude<ReleaseName, 'kilo'>;
  previous: ReleaseName;
  inventory: GeneratorRules;
  /** Newton reads an in-tree env.d (`data/env.d/<release>/`) first and merges `/etc/.../env.d` over it. */
  inTreeEnvd: boolean;
  envd: EnvdChanges;
  /** Variable renames across every user_*.yml: [old, new]. */
  renames: readonly (readonly [string, string])[];
  secrets: SecretChanges;
  guards: readonly VariableGuard[];
}
