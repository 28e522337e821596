/**
 * Address-range arithmetic, once for every layer: the endpoint-subnet and peering steps, the
 * address-space preflight check and the wizard's subnet question. IPv4 and IPv6 both go through
 * ipaddr.js, so a step and the check that foresees it always agree; ranges of different
 * families never overlap.
 */
import ipaddr from 'ipaddr.js';

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

function range(cidr: string): Range | undefined {
  try {
    return ipaddr.parseCIDR(cidr.trim());
  } catch {
    return undefined;
  }
}

/** Two ranges overlap when either contains the other's network address. */
export function overlaps(a: string, b: string): boolean {
  const ra = range(a);
  const rb = range(b);
  if (!ra || !rb || ra[0].kind() !== rb[0].kind()) return false;
  return ra[0].match(rb) || rb[0].match(ra);
}

/** `inner` lies completely inside `outer`. */
export function within(inner: string, outer: string): boolean {
  const ri = range(inner);
  const ro = range(outer);
  if (!ri || !ro || ri[0].kind() !== ro[0].kind()) return false;
  return ri[1] >= ro[1] && ri[0].match(ro);
}

/** Every overlapping pair between two lists, e.g. [["10.10.0.0/16", "10.10.0.0/16"]]. */
export function overlappingPairs(a: readonly string[], b: readonly string[]): [string, string][] {
  return a.flatMap((x) => b.filter((y) => overlaps(x, y)).map((y) => [x, y] as [string, string]));
}

/**
 * The first 10.N.0.0/16 that overlaps none of `taken`, to name a concrete address space in a
 * fix; undefined when all 256 are in use somewhere.
 */
export function freeRange(taken: readonly string[]): string | undefined {
  for (let n = 0; n < 256; n += 1) {
    const candidate = `10.${n}.0.0/16`;
    if (!taken.some((t) => overlaps(candidate, t))) return candidate;
  }
  return undefined;
}

/** Why `prefix` can't be a new subnet in this VNet, or undefined. */
export function subnetPrefixProblem(
  prefix: string,
  vnetSpace: readonly string[],
  subnets: readonly { name: string; addressPrefix?: string }[],
): string | undefined {
  if (!ipaddr.IPv4.isValidCIDRFourPartDecimal(prefix)) return 'must be an IPv4 CIDR like 10.20.1.0/24';
  const [address, bits] = ipaddr.IPv4.parseCIDR(prefix);
  const network = ipaddr.IPv4.networkAddressFromCIDR(prefix).toString();
  if (network !== address.toString()) return `has host bits set; the network is ${network}/${bits}`;
  if (bits > 29) return 'is too small: Azure subnets are /29 or larger';
  if (!vnetSpace.some((space) => within(prefix, space)))
    return `is outside the VNet's address space ${vnetSpace.join(', ')}`;
  const clash = subnets.find((s) => s.addressPrefix && overlaps(prefix, s.addressPrefix));
  return clash ? `overlaps subnet ${clash.name} (${clash.addressPrefix})` : undefined;
}

/**
 * The first free /24 in the VNet, skipping the VNet's first /24, which is by habit the
 * default subnet's (so shared-vnet 10.20.0.0/16 suggests 10.20.1.0/24).
 */
export function suggestSubnetPrefix(
  vnetSpace: readonly string[],
  subnets: readonly { name: string; addressPrefix?: string }[],
): string | undefined {
  for (const space of vnetSpace) {
    if (!ipaddr.IPv4.isValidCIDRFourPartDecimal(space)) continue;
    const [address, bits] = ipaddr.IPv4.parseCIDR(space);
    if (bits > 24) continue;
    const first = ipaddr.IPv4.networkAddressFromCIDR(`${address.toString()}/${bits}`)
      .toByteArray()
      .reduce((n, b) => n * 256 + b, 0);
    const last = first + 2 ** (32 - bits) - 1;
    for (let start = first + 256; start + 255 <= last; start += 256) {
      const candidate = `${[start >>> 24, (start >>> 16) & 255, (start >>> 8) & 255, 0].join('.')}/24`;
      if (!subnetPrefixProblem(candidate, vnetSpace, subnets)) return candidate;
    }
  }
  return undefined;
}
