import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { assertHostnamesCompatible, checkHostnames, type HostnameReport } from '../hostnames.js';
import { readInventory } from '../inventory/json.js';
import { EditSession, userFiles, type StepOptions } from './session.js';


async function liveHostnames(deployDir: string): Promise<Record<string, string>> {
  const dir = join(deployDir, 'ansible_facts');
  const out: Record<string, string> = {};
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    try {
      const facts = JSON.parse(await readFile(join(dir, name), 'utf8')) as { ansible_hostname?: unknown };
      if (typeof facts.ansible_hostname === 'string') out[name] = facts.ansible_hostname;
    } catch {
      // A half-written cache file tells us nothing; the inventory name is assumed instead.
    }
  }
  return out;
}

/**
 * The "hostname compatibility" step: reads the inventory, `openstack_domain` from the user variables and the
 * cached facts (when still there), checks every derived hostname and returns the 127.0.1.1 line per physical
 * host for `@leap/osa-deploy` to apply. Changes no file; throws on a collision or an invalid name.
 */
export async function checkHostnameCompatibility(options: Pick<StepOptions, 'deployDir' | 'vault'>): Promise<HostnameReport> {
  const inventory = await readInventory(join(options.deployDir, 'openstack_inventory.json'));
  const session = new EditSession({ ...options, backupDir: '' });
  let domain: string | null | undefined;
  for (const file of await userFiles(options.deployDir)) {
    if (file.endsWith('secrets.yml')) continue;
    const editor = await session.open(file);
    if (editor?.has(['openstack_domain']) === true) {
      const value = editor.get(['openstack_domain']);
      domain = value === null ? '' : String(value);
    }
  }
  const report = checkHostnames(inventory, { openstackDomain: domain, liveHostnames: await liveHostnames(options.deployDir) });
  assertHostnamesCompatible(report);
  return report;
}
