/** Variables of one host or container in `_meta.hostvars`. */
export interface HostVars {
  ansible_host?: string | null;
  ansible_ssh_host?: string | null;
  container_address?: string | null;
  container_name?: string | null;
  container_networks?: Record<string, ContainerNetwork>;
  physical_host?: string | null;
  physical_host_group?: string | null;
  component?: string | null;
  properties?: Record<string, unknown> | null;
  is_metal?: boolean;
  container_types?: string;
  [key: string]: unknown;
}

export interface ContainerNetwork {
  address?: string;
  bridge?: string;
  interface?: string;
  netmask?: string | null;
  type?: string;
  [key: string]: unknown;
}

export interface Group {
  hosts?: string[];
  children?: string[];
  vars?: Record<string, unknown>;
}

/** An Ansible dynamic inventory as OSA writes it to `openstack_inventory.json`. */
export interface Inventory {
  _meta: { hostvars: Record<string, HostVars> };
  all?: { vars?: Record<string, unknown> } & Group;
  [group: string]: unknown;
}

/** One change a step made (or would make). Secret values never appear here: only key names. */
export interface Change {
  file: string;
  action: 'added' | 'renamed' | 'removed' | 'kept' | 'filled' | 'created' | 'updated' | 'deleted' | 'reserved';
  key?: string;
  /** Human detail; never a secret value. */
  detail?: string;
}

export interface StepReport {
  step: string;
  changes: Change[];
}

/** What a step may log to; the CLI passes its journal-backed logger. */
export interface Logger {
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
}

export type ReleaseName = 'kilo' | 'liberty' | 'mitaka' | 'newton';
