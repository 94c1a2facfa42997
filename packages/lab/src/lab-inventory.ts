import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateKiloInventory, loadEnvironmentDir, loadUserConfig, serializeInventory } from '@leap/inventory';

/** openstack_inventory.json as OSA Kilo's generator would write it for the lab's config and env.d (@leap/inventory). */
export async function generateLabInventory(deployDir: string, seed: string): Promise<string> {
  const { config } = await loadUserConfig(deployDir);
  const { environment } = await loadEnvironmentDir(join(deployDir, 'env.d'));
  const inventory = generateKiloInventory({ config, environment, seed });
  const file = join(deployDir, 'openstack_inventory.json');
  writeFileSync(file, serializeInventory(inventory));
  return file;
}
