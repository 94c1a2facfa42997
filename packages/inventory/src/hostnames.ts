import { InventoryError } from './errors.js';
import { isContainer } from './inventory/model.js';
import type { Inventory } from './types.js';

export type HostnameIssueKind =
  | 'collision'
  | 'label-too-long'
  | 'name-too-long'
  | 'invalid-character'
  | 'bad-edge'
  | 'underscore-in-physical-host'
  | 'alias-needed'
  | 'domain-leading-dot';

export interface HostnameIssue {
  kind: HostnameIssueKind;
  severity: 'error' | 'warning' | 'info';
  /** Inventory names involved. */
  hosts: string[];
  hostname: string;
  message: string;
}

export interface HostnameReport {
  issues: HostnameIssue[];
  /** Per physical host: its `/etc/hosts` `127.0.1.1` line (leap-anchors.md §3.8, without the double-dot bug). */
  hostsLines: Record<string, string>;
  /** The domain used, leading dots removed ('' = short names only). */
  domain: string;
}

export interface HostnameOptions {
  /** `openstack_domain` from the user variables; undefined = OSA's default `openstack.local`. */
  openstackDomain?: string | null;
  /** Live short hostname per physical host (the `ansible_hostname` fact); without it the inventory name is assumed. */
  liveHostnames?: Record<string, string>;
}

/** The hostname OSA Mitaka+ derives from an inventory name. */
export function rfcHostname(name: string): string {
  return name.replace(/_/g, '-');
}

/**
 * Checks every inventory name's derived hostname against RFC 1123 (labels ≤ 63, name ≤ 253, letters, digits
 * and hyphens, no hyphen at either end) and for collisions, and computes the 127.0.1.1 alias line of each
 * physical host. Collisions and invalid names are errors; the rest are warnings or information.
 */
export function checkHostnames(inventory: Inventory, options: HostnameOptions = {}): HostnameReport {
  const issues: HostnameIssue[] = [];
  const rawDomain = options.openstackDomain ?? 'openstack.local';
  const domain = rawDomain.replace(/^\.+/, '').trim();
  checkDomain(rawDomain, domain, issues);
  const names = Object.keys(inventory._meta.hostvars);
  const byRfc = new Map<string, string[]>();
  for (const name of names) {
    const rfc = rfcHostname(name);
    const list = byRfc.get(rfc);
    if (list === undefined) byRfc.set(rfc, [name]);
    else list.push(name);
    checkRfc1123(name, rfc, domain, issues);
  }
  checkCollisions(byRfc, issues);
  const hostsLines = physicalHostsLines(inventory, names, domain, options, issues);
  return { issues, hostsLines, domain };
}

function checkDomain(rawDomain: string, domain: string, issues: HostnameIssue[]): void {
  if (rawDomain.startsWith('.')) {
    issues.push({
      kind: 'domain-leading-dot',
      severity: 'warning',
      hosts: [],
      hostname: rawDomain,
      message: `openstack_domain "${rawDomain}" starts with a dot; leap uses "${domain}"`,
    });
  }
}

/** The length of the full name, then the length, characters and edges of each label. */
function checkRfc1123(name: string, rfc: string, domain: string, issues: HostnameIssue[]): void {
  const fqdn = domain === '' ? rfc : `${rfc}.${domain}`;
  if (fqdn.length > 253)
    issues.push({
      kind: 'name-too-long',
      severity: 'error',
      hosts: [name],
      hostname: fqdn,
      message: `${fqdn} is ${fqdn.length} characters (at most 253)`,
    });
  for (const label of rfc.split('.')) {
    if (label.length > 63)
      issues.push({
        kind: 'label-too-long',
        severity: 'error',
        hosts: [name],
        hostname: rfc,
        message: `label "${label}" of ${rfc} is ${label.length} characters (at most 63)`,
      });
    if (/[^A-Za-z0-9-]/.test(label))
      issues.push({
        kind: 'invalid-character',
        severity: 'error',
        hosts: [name],
        hostname: rfc,
        message: `${rfc} (from ${name}) has characters other than letters, digits and hyphens`,
      });
    if (/^-|-$/.test(label) || label === '')
      issues.push({
        kind: 'bad-edge',
        severity: 'error',
        hosts: [name],
        hostname: rfc,
        message: `${rfc} (from ${name}) has an empty label or one that starts or ends with a hyphen`,
      });
  }
}

function checkCollisions(byRfc: Map<string, string[]>, issues: HostnameIssue[]): void {
  for (const [rfc, owners] of byRfc) {
    if (owners.length > 1)
      issues.push({
        kind: 'collision',
        severity: 'error',
        hosts: owners,
        hostname: rfc,
        message: `${owners.join(' and ')} all become the hostname ${rfc}`,
      });
  }
}

/** The 127.0.1.1 line of each physical host, with a warning for "_" and a note for each alias it needs. */
function physicalHostsLines(
  inventory: Inventory,
  names: string[],
  domain: string,
  options: HostnameOptions,
  issues: HostnameIssue[],
): Record<string, string> {
  const hostsLines: Record<string, string> = {};
  for (const name of names) {
    if (isContainer(inventory, name)) continue;
    const rfc = rfcHostname(name);
    const live = options.liveHostnames?.[name] ?? name;
    if (name.includes('_'))
      issues.push({
        kind: 'underscore-in-physical-host',
        severity: 'warning',
        hosts: [name],
        hostname: rfc,
        message: `physical host ${name} has "_": its hostname will be ${rfc}`,
      });
    if (live !== rfc)
      issues.push({
        kind: 'alias-needed',
        severity: 'info',
        hosts: [name],
        hostname: rfc,
        message: `${name} answers to ${live}; ${rfc} gets an alias line`,
      });
    const aliases = rfc !== name && rfc !== live ? [name, live] : rfc === name && rfc !== live ? [live] : [name];
    const words = [...new Set([domain === '' ? rfc : `${rfc}.${domain}`, rfc, ...aliases])];
    hostsLines[name] = `127.0.1.1 ${words.join(' ')}`;
  }
  return hostsLines;
}

/** Throws the first error of a hostname report (code per kind), for `leap inventory check` and the step. */
export function assertHostnamesCompatible(report: HostnameReport): void {
  const error = report.issues.find((i) => i.severity === 'error');
  if (error === undefined) return;
  const count = report.issues.filter((i) => i.severity === 'error').length;
  const code =
    error.kind === 'collision'
      ? 'LEAP_HOSTNAME_COLLISION'
      : error.kind.endsWith('too-long')
        ? 'LEAP_HOSTNAME_TOO_LONG'
        : 'LEAP_HOSTNAME_INVALID';
  throw new InventoryError(code, `${error.message}${count > 1 ? ` (and ${count - 1} more hostname problems)` : ''}`, {
    host: error.hosts[0],
    hint:
      error.kind === 'collision'
        ? 'rename one of the hosts in openstack_user_config.yml (and the inventory) so their names differ after "_" becomes "-"'
        : 'rename the host in openstack_user_config.yml to letters, digits, "-" and "_" with short labels',
  });
}
