import { join } from 'node:path';
import type { Environment } from '../config/environment.js';
import { loadEnvironmentDir } from '../config/environment.js';
import { loadUserConfig, type UserConfig } from '../config/user-config.js';
import { replaceFile } from '../files/replace.js';
import { kiloRules } from '../releases/kilo.js';
import type { Inventory } from '../types.js';
import { serializeInventory } from './json.js';
import { populateInventory } from './populate.js';
import { seededRng } from './rng.js';

export interface GenerateOptions {
  config: UserConfig;
  environment: Environment;
  /** Same seed, same container names and addresses. */
  seed: string | number;
}

/** A Kilo-format inventory, as OSA eol-kilo's generator would build it for this config and env.d. */
export function generateKiloInventory({ config, environment, seed }: GenerateOptions): Inventory {
  return populateInventory({ _meta: { hostvars: {} } }, config, environment, kiloRules, seededRng(seed));
}

/**
 * Reads `openstack_user_config.yml` (+ conf.d) and `env.d/` of a deploy folder and writes its Kilo
 * `openstack_inventory.json`. For the lab: an existing inventory is backed up to `backupDir` first.
 */
export async function writeKiloInventory(opts: {
  deployDir: string;
  seed: string | number;
  backupDir: string;
  envdDir?: string;
}): Promise<{ file: string; inventory: Inventory }> {
  const { config } = await loadUserConfig(opts.deployDir);
  const { environment } = await loadEnvironmentDir(opts.envdDir ?? join(opts.deployDir, 'env.d'));
  const inventory = generateKiloInventory({ config, environment, seed: opts.seed });
  const file = join(opts.deployDir, 'openstack_inventory.json');
  await replaceFile(file, serializeInventory(inventory), { backupDir: opts.backupDir, root: opts.deployDir });
  return { file, inventory };
}
