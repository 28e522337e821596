/**
 * Address-space arithmetic for the subnet question: overlap (peering refuses overlapping
 * VNets, Azure refuses overlapping subnets) and the suggested free /24. ipaddr.js does the
 * parsing, so no hand-written address regex decides anything.
 */
import ipaddr from 'ipaddr.js';

function range(cidr: string): [number, number] | undefined {
  if (!ipaddr.IPv4.isValidCIDRFourPartDecimal(cidr)) return undefined;
  const [address, bits] = ipaddr.IPv4.parseCIDR(cidr);
  const start = ipaddr.IPv4.networkAddressFromCIDR(`${address.toString()}/${bits}`).toByteArray().reduce((n, b) => n * 256 + b, 0);
  return [start, start + 2 ** (32 - bits) - 1];
}

export function cidrOverlaps(a: string, b: string): boolean {
  const ra = range(a);
  const rb = range(b);
  return !!ra && !!rb && ra[0] <= rb[1] && rb[0] <= ra[1];
}

export function cidrInside(inner: string, outer: string): boolean {
  const ri = range(inner);
  const ro = range(outer);
  return !!ri && !!ro && ri[0] >= ro[0] && ri[1] <= ro[1];
}

/** Why `prefix` can't be a new subnet in this VNet, or undefined. */
export function subnetPrefixProblem(prefix: string, vnetSpace: readonly string[], subnets: readonly { name: string; addressPrefix?: string }[]): string | undefined {
  if (!ipaddr.IPv4.isValidCIDRFourPartDecimal(prefix)) return 'must be an IPv4 CIDR like 10.20.1.0/24';
  const [address, bits] = ipaddr.IPv4.parseCIDR(prefix);
  const network = ipaddr.IPv4.networkAddressFromCIDR(prefix).toString();
  if (network !== address.toString()) return `has host bits set; the network is ${network}/${bits}`;
  if (bits > 29) return 'is too small: Azure subnets are /29 or larger';
  if (!vnetSpace.some((space) => cidrInside(prefix, space))) return `is outside the VNet's address space ${vnetSpace.join(', ')}`;
  const clash = subnets.find((s) => s.addressPrefix && cidrOverlaps(prefix, s.addressPrefix));
  return clash ? `overlaps subnet ${clash.name} (${clash.addressPrefix})` : undefined;
}

/**
 * The first free /24 in the VNet, skipping the VNet's first /24, which is by habit the
 * default subnet's (so shared-vnet 10.20.0.0/16 suggests 10.20.1.0/24).
 */
export function suggestSubnetPrefix(vnetSpace: readonly string[], subnets: readonly { name: string; addressPrefix?: string }[]): string | undefined {
  for (const space of vnetSpace) {
    const r = range(space);
    if (!r || Number(space.split('/')[1]) > 24) continue;
    for (let start = r[0] + 256; start + 255 <= r[1]; start += 256) {
      const bytes = [start >>> 24, (start >>> 16) & 255, (start >>> 8) & 255, 0];
      const candidate = `${bytes.join('.')}/24`;
      if (!subnetPrefixProblem(candidate, vnetSpace, subnets)) return candidate;
    }
  }
  return undefined;
}
