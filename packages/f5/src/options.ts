import { F5Error } from './errors.js';
import { inventoryVar, type F5Inventory } from './inventory.js';
import { cidrContains, formatIpv4, isHostAddress, isIpv4, parseCidr, parseIpv4, type Cidr } from './ipv4.js';

/** What differs between deployments; every field is optional and falls back to the inventory. */
export interface GenerateOptions {
  /** The BIG-IP partition (folder) holding every object. Default `RPC`. */
  partition?: string;
  /** The object-name prefix. Default `RPC`. */
  prefix?: string;
  /** SNAT addresses. Default: offset 15 of `all.vars.container_cidr`. */
  snat?: readonly string[];
  /** Public VIP for the public virtual servers. Default `all.vars.external_lb_vip_address`; null: no public virtual servers (Kilo only). */
  publicVip?: string | null;
  /** Internal VIP. Default `all.vars.internal_lb_vip_address`. */
  internalVip?: string;
  /** Names the certificate, key and client-ssl profile; required whenever an SSL virtual server is emitted. */
  sslDomain?: string;
}

export interface ResolvedOptions {
  partition: string;
  prefix: string;
  snat: string[];
  publicVip: string | null;
  internalVip: string;
  sslDomain: string | undefined;
}

/** The default SNAT address: the 16th address of the container network, as upstream chose it. */
const SNAT_OFFSET = 15;

const NAME = /^[A-Za-z][A-Za-z0-9_.-]*$/;

function checkName(value: string, what: string, flag: string): string {
  if (!NAME.test(value)) {
    throw new F5Error('LEAP_F5_NAME_INVALID', `The ${what} "${value}" is not a valid BIG-IP name.`, {
      hint: `Give ${flag} a name that starts with a letter and holds only letters, digits, "_", "." and "-".`,
    });
  }
  return value;
}

function checkVip(value: string, what: string, hint: string): string {
  if (!isIpv4(value)) {
    throw new F5Error(
      'LEAP_F5_VIP_INVALID',
      `The ${what} "${value}" is not an IPv4 address; a BIG-IP virtual server needs one.`,
      { hint },
    );
  }
  return value;
}

export function resolveOptions(
  inventory: F5Inventory,
  options: GenerateOptions,
  needsPublicVip: boolean,
): { resolved: ResolvedOptions; warnings: string[] } {
  const warnings: string[] = [];
  const partition = checkName(options.partition ?? 'RPC', 'partition', '--partition');
  const prefix = checkName(options.prefix ?? 'RPC', 'prefix', 'the prefix option');

  const internalVip = options.internalVip ?? inventoryVar(inventory, 'internal_lb_vip_address');
  if (internalVip === undefined) {
    throw new F5Error(
      'LEAP_F5_INTERNAL_VIP_MISSING',
      'The inventory has no all.vars.internal_lb_vip_address: the internal virtual servers need it.',
      {
        hint: 'Set global_overrides.internal_lb_vip_address in /etc/openstack_deploy/openstack_user_config.yml and regenerate the inventory.',
      },
    );
  }
  checkVip(
    internalVip,
    'internal VIP (internal_lb_vip_address)',
    'Set global_overrides.internal_lb_vip_address to the internal VIP address.',
  );

  const publicVip = resolvePublicVip(inventory, options);
  if (publicVip === null) {
    if (needsPublicVip) {
      throw new F5Error(
        'LEAP_F5_PUBLIC_VIP_MISSING',
        'No public VIP: the inventory has no all.vars.external_lb_vip_address and none was given.',
        {
          hint: 'Pass the public VIP with --public-vip IP (or set global_overrides.external_lb_vip_address).',
        },
      );
    }
    warnings.push('No public VIP: no public virtual servers are generated.');
  }

  const cidr = containerCidr(inventory);
  const snat = resolveSnat(options, cidr, warnings);
  for (const address of snat) {
    if (address === internalVip || address === publicVip) {
      throw new F5Error('LEAP_F5_SNAT_CONFLICT', `The SNAT address ${address} is also a VIP.`, {
        hint: 'Pass --snat with addresses that no VIP, host or container uses.',
      });
    }
  }
  if (cidr !== undefined && !cidrContains(cidr, parseIpv4(internalVip) ?? 0)) {
    warnings.push(`The internal VIP ${internalVip} is outside the container network ${cidr.text}.`);
  }

  const sslDomain = resolveSslDomain(options);
  return { resolved: { partition, prefix, snat, publicVip, internalVip, sslDomain }, warnings };
}

/** The public VIP given, else external_lb_vip_address of the inventory; null when neither (or given as null). */
function resolvePublicVip(inventory: F5Inventory, options: GenerateOptions): string | null {
  if (options.publicVip === null) return null;
  if (options.publicVip !== undefined) {
    return checkVip(
      options.publicVip,
      'public VIP (--public-vip)',
      'Pass the public VIP address with --public-vip IP.',
    );
  }
  const external = inventoryVar(inventory, 'external_lb_vip_address');
  if (external === undefined) return null;
  return checkVip(
    external,
    'public VIP (external_lb_vip_address)',
    `external_lb_vip_address is "${external}"; pass the public VIP address with --public-vip IP.`,
  );
}

/** all.vars.container_cidr of the inventory, undefined when it has none. */
function containerCidr(inventory: F5Inventory): Cidr | undefined {
  const cidrText = inventoryVar(inventory, 'container_cidr');
  const cidr = cidrText === undefined ? undefined : parseCidr(cidrText);
  if (cidrText !== undefined && cidr === undefined) {
    throw new F5Error('LEAP_F5_CIDR_INVALID', `all.vars.container_cidr "${cidrText}" is not an IPv4 CIDR.`, {
      hint: 'Fix cidr_networks.container in openstack_user_config.yml and regenerate the inventory, or pass --snat IP.',
    });
  }
  return cidr;
}

/** The SNAT addresses given (each a host address of the container network), else the default one of that network. */
function resolveSnat(options: GenerateOptions, cidr: Cidr | undefined, warnings: string[]): string[] {
  const given = [...new Set((options.snat ?? []).map((address) => address.trim()).filter((address) => address !== ''))];
  if (given.length > 0) {
    for (const address of given) {
      const value = parseIpv4(address);
      if (value === undefined) {
        throw new F5Error('LEAP_F5_SNAT_INVALID', `The SNAT address "${address}" is not an IPv4 address.`, {
          hint: 'Pass SNAT addresses as --snat IP[,IP…], each an address on the container network.',
        });
      }
      if (cidr === undefined) {
        warnings.push(
          `No container_cidr in the inventory: the SNAT address ${address} is not checked against the container network.`,
        );
      } else if (!isHostAddress(cidr, value)) {
        throw new F5Error(
          'LEAP_F5_SNAT_OUTSIDE_CIDR',
          `The SNAT address ${address} is not a host address of the container network ${cidr.text}.`,
          {
            hint: `Pass --snat with free addresses inside ${cidr.text} (not its network or broadcast address); the F5 must reach the containers from them.`,
          },
        );
      }
    }
    return given;
  }
  if (cidr === undefined) {
    throw new F5Error(
      'LEAP_F5_SNAT_MISSING',
      'No SNAT address: the inventory has no all.vars.container_cidr to take the default from.',
      {
        hint: 'Pass the SNAT addresses with --snat IP[,IP…] (free addresses on the container network). OSA 14.0.0–14.0.4 dropped container_cidr from the inventory.',
      },
    );
  }
  const address = cidr.network + SNAT_OFFSET;
  if (!isHostAddress(cidr, address)) {
    throw new F5Error(
      'LEAP_F5_SNAT_OUTSIDE_CIDR',
      `The default SNAT address (offset ${SNAT_OFFSET}) is outside the host addresses of the container network ${cidr.text}, which is too small.`,
      {
        hint: `Pass --snat IP[,IP…] with free addresses inside ${cidr.text}.`,
      },
    );
  }
  return [formatIpv4(address)];
}

function resolveSslDomain(options: GenerateOptions): string | undefined {
  let sslDomain = options.sslDomain?.trim();
  if (sslDomain === '') sslDomain = undefined;
  if (sslDomain !== undefined && !/^[A-Za-z0-9][A-Za-z0-9.-]*$/.test(sslDomain)) {
    throw new F5Error('LEAP_F5_SSL_DOMAIN_INVALID', `The SSL domain "${sslDomain}" is not a DNS name.`, {
      hint: 'Pass the public DNS name of the cloud with --ssl-domain NAME, e.g. cloud.example.com.',
    });
  }
  return sslDomain;
}
