import type { MonitorType } from '../model.js';

/** One row of the service table (reference §1.4): one pool, one internal VS, maybe a public VS. */
export interface ServiceRow {
  /** Service key; the object suffix is the key upper-cased (`nova_novnc_console` → `NOVA_NOVNC_CONSOLE`). */
  key: string;
  vipPort: number;
  memberPort: number;
  /** Inventory group whose hosts are the pool members. */
  group: string;
  /** Monitor name without the prefix (`MON_GALERA`), or `EXT` for the external endpoint monitor. */
  monitor: string;
  /** Priority groups 100, 95, … and min-active-members 1: active/standby. */
  priority?: boolean;
  /** Public virtual server: `ssl` offloads TLS on the F5, `passthrough` is a fastL4 VS on the same port. */
  public?: 'ssl' | 'passthrough';
  /** Source-address persistence on every VS of the key. */
  persist?: boolean;
  /** Backend SSL: the public VS re-encrypts with the server-ssl profile. */
  backendSsl?: boolean;
  /** The public SSL VS inserts X-Forwarded-Proto (only when not backendSsl). */
  forwardedProto?: boolean;
  /** The internal VS terminates TLS too (members speak plain HTTP). */
  sslInternal?: boolean;
  /** `mirror enabled` on the internal VS (connection mirroring to the standby F5). */
  mirror?: boolean;
  /** Pool resets connections when all members are down (`service-down-action reset slow-ramp-time 0`). */
  serviceDownReset?: boolean;
  /** A public VS on port 80 that redirects to HTTPS with the built-in `_sys_https_redirect` iRule. */
  httpsRedirect?: boolean;
}

export interface MonitorRow {
  /** Without the prefix: `MON_HTTP_REPO_CACHE`. */
  name: string;
  type: Exclude<MonitorType, 'external'>;
  /** `*` or a port. */
  port: number | '*';
  /** HTTP(S): the path of the HEAD request. */
  path?: string;
  recv?: string;
}

export interface ReleaseProfile {
  release: string;
  /** What the profile reproduces, for the README and the JSON output. */
  source: string;
  loadBalancingMode: string;
  monitors: MonitorRow[];
  services: ServiceRow[];
  /** Name of the external monitor after the prefix (`-MON-EXT-ENDPOINT`). */
  externalMonitor: string;
  /** Where the operator gets the external monitor script for this release. */
  externalMonitorScript: string;
  /** Newton sets an idle timeout on each SNAT translation. */
  snatIdleTimeout?: number;
}

/** Historical object-name variants: a device may carry the left name where the profile has the right one. */
export const NAME_VARIANTS: Readonly<Record<string, string>> = {
  NOVA_CONSOLE: 'NOVA_SPICE_CONSOLE',
};
