import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { labHostnames } from './hostnames.js';
import type { InventoryView } from './inventory-view.js';

/**
 * The jsonfile fact cache of a Kilo deploy host (etc/openstack_deploy/ansible_facts/<host>), stale Kilo facts
 * that the leap's fact cleanup must remove.
 */
export function writeCachedFacts(deployDir: string, view: InventoryView): void {
  const dir = join(deployDir, 'ansible_facts');
  mkdirSync(dir, { recursive: true });
  const hostnames = labHostnames(view);
  for (const host of view.hosts) {
    const hostname = hostnames[host.name] ?? host.name;
    const facts = {
      ansible_hostname: hostname,
      ansible_fqdn: `${hostname}.openstack.local`,
      ansible_nodename: hostname,
      ansible_distribution: 'Ubuntu',
      ansible_distribution_release: 'trusty',
      ansible_distribution_version: '14.04',
      ansible_lsb: {
        codename: 'trusty',
        description: 'Ubuntu 14.04.5 LTS',
        id: 'Ubuntu',
        major_release: '14',
        release: '14.04',
      },
      ansible_default_ipv4: { address: host.address ?? '', interface: host.isContainer ? 'eth1' : 'br-mgmt' },
      ansible_virtualization_type: host.isContainer ? 'lxc' : 'kvm',
      ansible_python_version: '2.7.6',
      module_setup: true,
    };
    writeFileSync(join(dir, host.name), `${JSON.stringify(facts, null, 2)}\n`);
  }
}
