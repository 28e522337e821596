/**
 * Address helpers the network checks and the diagnosis share. Key Vault ipRules are public
 * IPv4 addresses or CIDRs (azure-facts §2), and a single address may come back as `/32`,
 * so every comparison goes through a parsed CIDR, never through string equality.
 */
import ipaddr from 'ipaddr.js';

/** `52.14.20.1` → [addr, 32]; `10.0.0.0/8` → [addr, 8]; null when it's neither. */
export function parseIpv4Cidr(text: string): [ipaddr.IPv4, number] | null {
  const value = text.trim();
  if (ipaddr.IPv4.isValidFourPartDecimal(value)) return [ipaddr.IPv4.parse(value), 32];
  if (ipaddr.IPv4.isValidCIDRFourPartDecimal(value)) return ipaddr.IPv4.parseCIDR(value);
  return null;
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

/** The first rule that admits `address`, or undefined. */
export function matchingRule(address: string, rules: readonly string[]): string | undefined {
  if (!ipaddr.IPv4.isValidFourPartDecimal(address.trim())) return undefined;
  const ip = ipaddr.IPv4.parse(address.trim());
  return rules.find((rule) => {
    const cidr = parseIpv4Cidr(rule);
    return cidr !== null && ip.match(cidr);
  });
}

/** Two CIDRs overlap exactly when the wider one contains the other's network address. */
export function cidrsOverlap(a: string, b: string): boolean {
  const left = parseIpv4Cidr(a);
  const right = parseIpv4Cidr(b);
  if (!left || !right) return false;
  return networkOf(left).match(right) || networkOf(right).match(left);
}

function networkOf([address, bits]: [ipaddr.IPv4, number]): ipaddr.IPv4 {
  return ipaddr.IPv4.networkAddressFromCIDR(`${address.toString()}/${bits}`);
}

/** Normalizes `1.2.3.4` and `1.2.3.4/32` to one spelling for messages and diffs. */
export function normalizeRule(rule: string): string {
  const cidr = parseIpv4Cidr(rule);
  if (!cidr) return rule.trim();
  return cidr[1] === 32 ? cidr[0].toString() : `${networkOf(cidr).toString()}/${cidr[1]}`;
}

/** True when every address of `inner` lies inside `outer`. */
export function cidrContains(outer: string, inner: string): boolean {
  const o = parseIpv4Cidr(outer);
  const i = parseIpv4Cidr(inner);
  if (!o || !i) return false;
  return i[1] >= o[1] && networkOf(i).match(o);
}

/**
 * The first 10.N.0.0/16 that overlaps none of `taken`, to name a concrete address space in a
 * fix; undefined when all 256 are in use somewhere.
 */
export function freeRange(taken: readonly string[]): string | undefined {
  for (let n = 0; n < 256; n += 1) {
    const candidate = `10.${n}.0.0/16`;
    if (!taken.some((t) => cidrsOverlap(candidate, t))) return candidate;
  }
  return undefined;
}
