/**
 * Key Vault firewall rules: public IPv4 addresses or CIDRs only (Azure refuses IPv6 and private
 * ranges there). Azure echoes `1.2.3.4` back as `1.2.3.4/32` and a CIDR's host bits don't
 * matter, so every comparison goes through a parsed CIDR, never through string equality.
 */
import ipaddr from 'ipaddr.js';

/** `52.14.20.1` → [addr, 32]; `10.0.0.0/8` → [addr, 8]; null when it's neither. */
function parseIpv4Cidr(text: string): [ipaddr.IPv4, number] | null {
  const value = text.trim();
  if (ipaddr.IPv4.isValidFourPartDecimal(value)) return [ipaddr.IPv4.parse(value), 32];
  if (ipaddr.IPv4.isValidCIDRFourPartDecimal(value)) return ipaddr.IPv4.parseCIDR(value);
  return null;
}

function networkOf([address, bits]: [ipaddr.IPv4, number]): ipaddr.IPv4 {
  return ipaddr.IPv4.networkAddressFromCIDR(`${address.toString()}/${bits}`);
}

/** The one spelling of a rule for comparing: always `network/bits`. */
export function normalizeIpRule(value: string): string {
  const cidr = parseIpv4Cidr(value);
  // Not IPv4: the schema rejects these for the allowlist; keep a vault's odd rule verbatim.
  return cidr ? `${networkOf(cidr).toString()}/${cidr[1]}` : value.trim().toLowerCase();
}

export function ipRuleSet(values: readonly string[]): string[] {
  return [...new Set(values.map(normalizeIpRule))].sort();
}

/** The spelling of a rule for messages: a single address without its `/32`. */
export function displayIpRule(rule: string): string {
  const cidr = parseIpv4Cidr(rule);
  if (!cidr) return rule.trim();
  return cidr[1] === 32 ? cidr[0].toString() : `${networkOf(cidr).toString()}/${cidr[1]}`;
}

/** The first rule that admits `address`, or undefined. */
export function matchingRule(address: string, rules: readonly string[]): string | undefined {
  if (!ipaddr.IPv4.isValidFourPartDecimal(address.trim())) return undefined;
  const ip = ipaddr.IPv4.parse(address.trim());
  return rules.find((rule) => {
    const cidr = parseIpv4Cidr(rule);
    return cidr !== null && ip.match(cidr);
  });
}

/** Ranges a VNet-internal answer comes from; anything else reached the public internet. */
const INTERNAL_RANGES = new Set(['private', 'carrierGradeNat', 'loopback', 'linkLocal']);

/**
 * True for an address outside VNet-internal space. Documentation ranges (203.0.113.0/24)
 * count as public: the sandbox and examples use them for internet addresses.
 */
export function isPublicIpv4(text: string): boolean {
  if (!ipaddr.IPv4.isValidFourPartDecimal(text.trim())) return false;
  return !INTERNAL_RANGES.has(ipaddr.IPv4.parse(text.trim()).range());
}
