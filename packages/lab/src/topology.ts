import type { Seeded } from './seed.js';

/** The openstack_user_config.yml host groups a lab host belongs to. */
export type HostRole = 'infra' | 'compute' | 'storage';

export interface LabHost {
  name: string;
  /** Management (br-mgmt) address. */
  ip: string;
  roles: HostRole[];
}

export interface LabTopology {
  hosts: LabHost[];
  /** Second octet of the 172.x.236.0/22 style networks, from the seed. */
  octet: number;
  cidr: { container: string; tunnel: string; storage: string };
  internalVip: string;
  externalVip: string;
}

export const MAX_LAB_HOSTS = 20;

/**
 * Hosts for a lab of `count` machines: 1 is an all-in-one; 2 an infra and a compute host; from 3 on up to
 * three infra hosts, one storage host and the rest computes.
 */
export function planTopology(count: number, seeded: Seeded): LabTopology {
  const octet = 16 + seeded.int('network', 16);
  const net = (third: number, last: number) => `172.${octet}.${third}.${last}`;
  const hosts: LabHost[] = [];
  if (count === 1) {
    hosts.push({ name: 'aio1', ip: net(236, 100), roles: ['infra', 'compute', 'storage'] });
  } else {
    const infra = count === 2 ? 1 : Math.min(3, count - 2);
    const storage = count === 2 ? 0 : 1;
    const compute = count - infra - storage;
    for (let i = 1; i <= infra; i++)
      hosts.push({ name: `infra${i}`, ip: net(236, 10 + i), roles: count === 2 ? ['infra', 'storage'] : ['infra'] });
    for (let i = 1; i <= compute; i++) hosts.push({ name: `compute${i}`, ip: net(236, 20 + i), roles: ['compute'] });
    for (let i = 1; i <= storage; i++) hosts.push({ name: `storage${i}`, ip: net(236, 40 + i), roles: ['storage'] });
  }
  return {
    hosts,
    octet,
    cidr: { container: `172.${octet}.236.0/22`, tunnel: `172.${octet}.240.0/22`, storage: `172.${octet}.244.0/22` },
    internalVip: net(236, 9),
    externalVip: `203.0.113.${10 + seeded.int('external-vip', 200)}`,
  };
}
