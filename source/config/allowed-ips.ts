/**
 * What a vault firewall ipRule may be: a public IPv4 address or CIDR, IPv4
 * only, at most 1000 of them. Private, loopback, link-local, CGNAT, multicast, reserved and
 * unspecified space is refused because the vault never sees such an address as a client, so
 * the rule would silently admit no one (or, for 0.0.0.0/0, everyone). ipaddr.js's own range
 * table decides, not a hand-written regex.
 */
import ipaddr from 'ipaddr.js';

const MAX_IP_RULES = 1000;

const RANGE_WHY: Record<string, string> = {
  private: 'is private (RFC 1918) address space, which the vault never sees as a client address',
  loopback: 'is loopback (127.0.0.0/8), which never reaches the vault',
  linkLocal: 'is link-local (169.254.0.0/16), which never leaves its network',
  carrierGradeNat: 'is carrier-grade NAT space (100.64.0.0/10), not a public address',
  multicast: 'is multicast (224.0.0.0/4), not a client address',
  unspecified: 'is the unspecified range (0.0.0.0/8), not a client address',
  broadcast: 'is the broadcast address',
  reserved: 'is reserved or documentation address space (RFC 5737 and others), not routable on the internet',
  as112: 'is AS112 DNS space, not a client address',
  amt: 'is AMT relay anycast space, not a client address',
  benchmarking: 'is benchmarking space (198.18.0.0/15), not routable on the internet',
};

/** Why `entry` can't be an ipRule, or undefined when it can. */
export function allowedIpProblem(entry: string): string | undefined {
  const text = entry.trim();
  if (text !== entry || text.length === 0) return 'must be an address or CIDR with no spaces';
  if (ipaddr.IPv6.isValid(text.split('/')[0]!) || ipaddr.IPv6.isValidCIDR(text)) {
    return 'is an IPv6 address; Key Vault IP rules accept IPv4 only';
  }
  let address: ipaddr.IPv4;
  let bits = 32;
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) {
    address = ipaddr.IPv4.parse(text);
  } else if (ipaddr.IPv4.isValidCIDRFourPartDecimal(text)) {
    [address, bits] = ipaddr.IPv4.parseCIDR(text);
  } else {
    return 'is not an IPv4 address (a.b.c.d) or CIDR (a.b.c.d/n)';
  }
  if (bits === 0) return 'opens the vault to the whole internet';
  const network = ipaddr.IPv4.networkAddressFromCIDR(`${address.toString()}/${bits}`);
  if (bits < 32 && network.toString() !== address.toString()) {
    return `has host bits set; the network is ${network.toString()}/${bits}`;
  }
  // A CIDR is refused when it overlaps any special range, not only when it starts in one.
  for (const [range, cidrs] of Object.entries(specialRanges())) {
    for (const [base, baseBits] of cidrs) {
      if (network.match(base, baseBits) || base.match(network, bits))
        return RANGE_WHY[range] ?? `is in the ${range} range`;
    }
  }
  return undefined;
}

/** ipaddr.js's own table of non-unicast IPv4 ranges (present at runtime, absent from its types). */
function specialRanges(): Record<string, [ipaddr.IPv4, number][]> {
  return (ipaddr.IPv4.prototype as unknown as { SpecialRanges: Record<string, [ipaddr.IPv4, number][]> }).SpecialRanges;
}

/** Problems with the list as a whole (size, duplicates after normalising /32). */
export function allowedIpListProblems(entries: readonly string[]): string[] {
  const problems: string[] = [];
  if (entries.length > MAX_IP_RULES)
    problems.push(`has ${entries.length} entries; a vault takes at most ${MAX_IP_RULES} IPv4 rules`);
  const seen = new Map<string, string>();
  for (const entry of entries) {
    const key = entry.endsWith('/32') ? entry.slice(0, -3) : entry;
    const first = seen.get(key);
    if (first !== undefined)
      problems.push(first === entry ? `has ${entry} twice` : `has ${first} and ${entry}, which are the same address`);
    else seen.set(key, entry);
  }
  return problems;
}
