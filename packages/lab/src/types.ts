/** The releases a lab can start from (the leap's sources). */
export type LabSource = 'kilo' | 'liberty' | 'mitaka';
export const LAB_SOURCES: readonly LabSource[] = ['kilo', 'liberty', 'mitaka'];

export interface LabOptions {
  /** The release the lab is deployed at; default `kilo`. */
  source?: LabSource;
  /** Number of physical hosts (1 = an all-in-one); default 3. Ignored with `fromDeployDir`. */
  hosts?: number;
  /** Seed for names, addresses, secrets and rows; default `leap-lab`. */
  seed?: string;
  /** Build the lab around a copy of this /etc/openstack_deploy (its config, variables, secrets, inventory). */
  fromDeployDir?: string;
  /** One mariadbd without Galera instead of a three-node cluster: faster, where the cluster does not matter. */
  singleDb?: boolean;
}

/** One node of the lab's Galera cluster: a galera container of the inventory, its server on loopback. */
export interface LabGaleraNode {
  /** The galera container's inventory name. */
  name: string;
  /** <lab>/galera/nodeN: my.cnf, socket, pid file, error log. */
  dir: string;
  /** The container's root folder (its var/lib/mysql links to datadir). */
  rootfs: string;
  /** /openstack/<container> on its physical host. */
  datadir: string;
  config: string;
  pidFile: string;
  socket: string;
  errorLog: string;
  host: string;
  port: number;
  /** Galera's group communication, incremental and full state transfer ports. */
  groupPort: number;
  istPort: number;
  sstPort: number;
}

export interface LabDatabase {
  pid: number;
  socket: string;
  host: string;
  port: number;
  user: string;
  password: string;
  datadir: string;
  /** Absolute path of the mariadb client the stand-in commands call. */
  client: string;
}

export interface LabRepoShas {
  /** The source release's tag and the commit it peels to. */
  sourceTag: string;
  source: string;
  /** r14.1.0 (rpc-openstack) or the OSA commit its gitlink pins. */
  targetTag: string;
  target: string;
}

/** What `createLab` built; written to `<dir>/lab.json` for `destroyLab`, the stand-ins and the tests. */
export interface LabInfo {
  format: 1;
  dir: string;
  source: LabSource;
  seed: string;
  target: 'r14.1.0';
  /** Physical hosts, in inventory order. */
  hosts: string[];
  /** Containers of the initial inventory (name -> physical host). */
  containers: Record<string, string>;
  fromDeployDir: string | null;
  /** The first galera node (or the single server). */
  database: LabDatabase;
  /** The Galera cluster, unless the lab was made with --single-db. */
  galera?: { nodes: LabGaleraNode[] };
  git: { rpco: LabRepoShas; osa: LabRepoShas };
  paths: {
    leapYaml: string;
    deployDir: string;
    rpcoDir: string;
    releaseFile: string;
    backupDir: string;
    /** The dynamic inventory script serving the deployment's openstack_inventory.json. */
    inventory: string;
    openstackAnsible: string;
    hostsRoot: string;
  };
}
