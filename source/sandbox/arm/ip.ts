/**
 * IPv4 prefix arithmetic for VNets, subnets, endpoint IPs and firewall rules.
 */
import ipaddr from 'ipaddr.js';

export interface Ipv4Range {
  cidr: string;
  start: number;
  end: number;
  prefixLength: number;
}

function ipv4ToNumber(ip: string): number {
  return ip.split('.').reduce((total, octet) => total * 256 + Number(octet), 0);
}

export function numberToIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** Parses `a.b.c.d/n` (or a bare address as /32); undefined when it isn't IPv4 CIDR. */
export function parseIpv4Cidr(text: string): Ipv4Range | undefined {
  const value = text.includes('/') ? text : `${text}/32`;
  if (!ipaddr.IPv4.isValidCIDRFourPartDecimal(value)) return undefined;
  const [address, prefixLength] = ipaddr.IPv4.parseCIDR(value);
  const size = 2 ** (32 - prefixLength);
  const base = ipv4ToNumber(address.toString());
  const start = base - (base % size);
  return { cidr: value, start, end: start + size - 1, prefixLength };
}

/** True when the prefix has host bits set (e.g. 10.20.1.5/24): Azure refuses such CIDRs for subnets. */
export function hasHostBits(text: string): boolean {
  const range = parseIpv4Cidr(text);
  return !!range && ipv4ToNumber(text.split('/')[0]) !== range.start;
}

export function overlaps(a: Ipv4Range, b: Ipv4Range): boolean {
  return a.start <= b.end && b.start <= a.end;
}

export function contains(outer: Ipv4Range, inner: Ipv4Range): boolean {
  return outer.start <= inner.start && inner.end <= outer.end;
}

export function isIpv6(text: string): boolean {
  const address = text.split('/')[0];
  return ipaddr.IPv6.isValid(address) && !ipaddr.IPv4.isValid(address);
}

const FORBIDDEN_RANGES: { cidr: string; label: string }[] = [
  { cidr: '10.0.0.0/8', label: 'private IP addresses' },
  { cidr: '172.16.0.0/12', label: 'private IP addresses' },
  { cidr: '192.168.0.0/16', label: 'private IP addresses' },
  { cidr: '127.0.0.0/8', label: 'loopback IP addresses' },
  { cidr: '169.254.0.0/16', label: 'link-local IP addresses' },
  { cidr: '100.64.0.0/10', label: 'shared address space' },
  { cidr: '0.0.0.0/8', label: 'current network' },
  { cidr: '224.0.0.0/4', label: 'multicast IP addresses' },
  { cidr: '240.0.0.0/4', label: 'reserved IP addresses' },
];

/** The forbidden (non-public) range a firewall rule falls into, e.g. "10.0.0.0–10.255.255.255 (private IP addresses)". */
export function forbiddenRangeOf(range: Ipv4Range): string | undefined {
  for (const forbidden of FORBIDDEN_RANGES) {
    const parsed = parseIpv4Cidr(forbidden.cidr)!;
    if (overlaps(parsed, range))
      return `${numberToIpv4(parsed.start)}–${numberToIpv4(parsed.end)} (${forbidden.label})`;
  }
  return undefined;
}
