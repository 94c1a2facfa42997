/** IPv4 helpers for VIPs, SNAT addresses and the container network. */

export interface Cidr {
  text: string;
  network: number;
  prefix: number;
  size: number;
}

export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

export function isIpv4(text: string): boolean {
  return parseIpv4(text) !== undefined;
}

export function parseCidr(text: string): Cidr | undefined {
  const match = /^([0-9.]+)\/([0-9]{1,2})$/.exec(text.trim());
  if (!match) return undefined;
  const address = parseIpv4(match[1] ?? '');
  const prefix = Number(match[2]);
  if (address === undefined || prefix > 32) return undefined;
  const size = 2 ** (32 - prefix);
  return { text: text.trim(), network: address - (address % size), prefix, size };
}

export function cidrContains(cidr: Cidr, address: number): boolean {
  return address >= cidr.network && address < cidr.network + cidr.size;
}

/** Whether the address is usable by a host: inside the network and neither its network nor its broadcast address. */
export function isHostAddress(cidr: Cidr, address: number): boolean {
  if (!cidrContains(cidr, address)) return false;
  if (cidr.prefix >= 31) return true;
  return address !== cidr.network && address !== cidr.network + cidr.size - 1;
}
