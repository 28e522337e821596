/**
 * How a caller at a network position reaches a vault: DNS first, then routing. The vault
 * firewall sees the caller's public (egress) address on the public path and the caller's
 * private address through a private endpoint.
 */
import type { NetworkPosition, SandboxState } from '../world/state.js';
import { resolveVaultHost, type DnsAnswer } from './dns.js';
import { findVault, props, resourcesOfType } from './arm-lookup.js';
import { approvedPrivateEndpoints } from './private-endpoints.js';
import { vnetsCanRoute } from './routing.js';

export type VaultRoute =
  | { kind: 'nxdomain'; dns: DnsAnswer }
  /** DNS answered a private address this caller can't route to (no or one-way peering). */
  | { kind: 'unreachable'; dns: DnsAnswer; address: string }
  | { kind: 'public'; dns: DnsAnswer; address: string; clientAddress: string }
  | { kind: 'private'; dns: DnsAnswer; address: string; clientAddress: string; endpointId: string }
  /** Reached a private endpoint of another vault (stale A record): Key Vault refuses the host. */
  | { kind: 'wrong-endpoint'; dns: DnsAnswer; address: string; clientAddress: string };

function publicAddressOf(position: NetworkPosition): string {
  return position.kind === 'internet' ? position.publicIp : position.egressIp;
}

function endpointOwningIp(state: SandboxState, ip: string): { vnetId: string } | undefined {
  for (const endpoint of resourcesOfType(state, 'Microsoft.Network/privateEndpoints')) {
    const p = props(endpoint);
    const subnetId: string | undefined = p.subnet?.id;
    const ips = JSON.stringify([p.customDnsConfigs ?? [], p.ipConfigurations ?? []]);
    if (subnetId && ips.includes(`"${ip}"`)) {
      return { vnetId: subnetId.slice(0, subnetId.toLowerCase().indexOf('/subnets/')) };
    }
  }
  return undefined;
}

export function routeToVault(state: SandboxState, vaultName: string, position: NetworkPosition): VaultRoute {
  const dns = resolveVaultHost(state, vaultName, position);
  if (dns.error || dns.addresses.length === 0) return { kind: 'nxdomain', dns };
  const address = dns.addresses[0];
  if (dns.source === 'public' || position.kind !== 'vnet') {
    return { kind: 'public', dns, address, clientAddress: publicAddressOf(position) };
  }
  const vault = findVault(state, vaultName);
  const own = vault
    ? approvedPrivateEndpoints(state, vault.id).find((endpoint) => endpoint.ips.includes(address))
    : undefined;
  if (own) {
    return vnetsCanRoute(state, position.vnetId, own.vnetId)
      ? { kind: 'private', dns, address, clientAddress: position.privateIp, endpointId: own.id }
      : { kind: 'unreachable', dns, address };
  }
  const other = endpointOwningIp(state, address);
  if (other && vnetsCanRoute(state, position.vnetId, other.vnetId)) {
    return { kind: 'wrong-endpoint', dns, address, clientAddress: position.privateIp };
  }
  return { kind: 'unreachable', dns, address };
}
