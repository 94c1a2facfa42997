/** How one release's inventory generator behaves; the values live in `releases/<release>.ts`. */
export interface GeneratorRules {
  release: string;
  /** Per-host container group for containers created by this release: `<h>_containers` or `<h>-host_containers`. */
  hostContainersSuffix: '_containers' | '-host_containers';
  /** Hostvars every entry must have (missing ones become null). */
  requiredHostvars: readonly string[];
  /** Newton sets `ansible_host` alongside `ansible_ssh_host`. */
  ansibleHost: boolean;
  /** Newton builds the `lxc_hosts` group. */
  lxcHosts: boolean;
  /** Newton drops `all.vars` keys that are no longer in `global_overrides` (keeping `container_cidr`). */
  pruneAllVars: boolean;
  /** Kilo–Mitaka flag the management-bridge network as ssh/container network when no network is flagged. */
  autoManagementFlags: boolean;
  /** OSA's limit on `<host>_<skel>` (OpenSSH bug 2239), so the name with `-<8 hex>` stays under 63. */
  maxHostSkelLength: number;
}
