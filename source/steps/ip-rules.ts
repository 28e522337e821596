/**
 * Vault firewall rules are compared normalised: Azure echoes `1.2.3.4` back as `1.2.3.4/32`
 * and a CIDR's host bits don't matter, so `1.2.3.4`, `1.2.3.4/32` are one rule.
 */
import ipaddr from 'ipaddr.js';

export function normalizeIpRule(value: string): string {
  const text = value.trim();
  const cidr = text.includes('/') ? text : `${text}/32`;
  try {
    const [address, prefix] = ipaddr.IPv4.parseCIDR(cidr);
    const network = ipaddr.IPv4.networkAddressFromCIDR(`${address.toString()}/${prefix}`);
    return `${network.toString()}/${prefix}`;
  } catch {
    // Not IPv4 CIDR: the schema rejects these for the allowlist; keep a vault's odd rule verbatim.
    return text.toLowerCase();
  }
}

export function ipRuleSet(values: readonly string[]): string[] {
  return [...new Set(values.map(normalizeIpRule))].sort();
}
