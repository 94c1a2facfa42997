import { readFileSync } from 'node:fs';
import { labAsset } from './assets.js';

/**
 * Which services the hosts of each inventory group run: the lab's Kilo rows are seeded from it and the stand-in
 * playbooks register the Newton ones from it (lab/clients/services.json, read by lab-openstack-register too).
 */
export interface ServiceTable {
  nova: Array<{ group: string; binary: string; topic: string }>;
  /** `backend`: the cinder-volume host is `<host>@<backend>`. */
  cinder: Array<{ group: string; binary: string; backend: string | null }>;
  neutron: Array<{ group: string; type: string; binary: string }>;
}

export function readServiceTable(): ServiceTable {
  return JSON.parse(readFileSync(labAsset('clients/services.json'), 'utf8')) as ServiceTable;
}
