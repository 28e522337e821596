/**
 * What `<vault>.vault.azure.net` resolves to from a network position:
 * - a vault with an approved private endpoint has the public CNAME to
 *   `<vault>.privatelink.vaultcore.azure.net`; a VNet whose `privatelink.vaultcore.azure.net`
 *   zone is linked answers from the zone's A record (no record → NXDOMAIN, unless the link's
 *   `resolutionPolicy` is `NxDomainRedirect`);
 * - everyone else (internet, other clouds, unlinked VNets) gets the public address;
 * - a name no vault holds (live or soft-deleted, whose DNS record is kept) doesn't resolve.
 */
import type { NetworkPosition, SandboxState } from '../world/state.js';
import { findVault, props, resourcesOfType, sameId } from './arm-lookup.js';
import { vaultPublicAddress } from './public-address.js';
import { approvedPrivateEndpoints } from './private-endpoints.js';

const PRIVATE_LINK_ZONE = 'privatelink.vaultcore.azure.net';

export interface DnsAnswer {
  host: string;
  addresses: string[];
  /** 'NXDOMAIN' when the name doesn't resolve. */
  error?: string;
  /** Where the answer came from. */
  source: 'public' | 'private-zone' | 'none';
  zoneId?: string;
}

function vaultHost(vaultName: string): string {
  return `${vaultName.toLowerCase()}.vault.azure.net`;
}

function linkedZone(state: SandboxState, vnetId: string): { zoneId: string; nxDomainRedirect: boolean } | undefined {
  for (const zone of resourcesOfType(state, 'Microsoft.Network/privateDnsZones')) {
    if (zone.name.toLowerCase() !== PRIVATE_LINK_ZONE) continue;
    const prefix = `${zone.id.toLowerCase()}/virtualnetworklinks/`;
    const link = resourcesOfType(state, 'Microsoft.Network/privateDnsZones/virtualNetworkLinks').find(
      (candidate) =>
        candidate.id.toLowerCase().startsWith(prefix) && sameId(props(candidate).virtualNetwork?.id, vnetId),
    );
    if (link) return { zoneId: zone.id, nxDomainRedirect: props(link).resolutionPolicy === 'NxDomainRedirect' };
  }
  return undefined;
}

function customDnsServers(state: SandboxState, vnetId: string): string[] {
  const vnet = state.resources.get(vnetId.toLowerCase());
  return ((props(vnet).dhcpOptions?.dnsServers ?? []) as string[]).slice();
}

function zoneARecord(state: SandboxState, zoneId: string, vaultName: string): string[] {
  const record = state.resources.get(`${zoneId}/A/${vaultName}`.toLowerCase());
  const aRecords = (props(record).aRecords ?? []) as { ipv4Address?: string }[];
  return aRecords.map((entry) => entry.ipv4Address).filter((ip): ip is string => typeof ip === 'string');
}

export function resolveVaultHost(state: SandboxState, vaultName: string, position: NetworkPosition): DnsAnswer {
  const host = vaultHost(vaultName);
  const vault = findVault(state, vaultName);
  if (!vault && !state.deletedVaults.has(vaultName.toLowerCase())) {
    return { host, addresses: [], error: 'NXDOMAIN', source: 'none' };
  }
  const publicAnswer: DnsAnswer = { host, addresses: [vaultPublicAddress(vaultName)], source: 'public' };
  // Only a vault with an approved private endpoint gets the privatelink CNAME in public DNS.
  if (position.kind !== 'vnet' || !vault || approvedPrivateEndpoints(state, vault.id).length === 0) return publicAnswer;
  // Custom DNS servers answer instead of Azure DNS (168.63.129.16), which is what applies zone
  // links; the sandbox's stand-in servers forward nothing, so the public answer comes back.
  if (customDnsServers(state, position.vnetId).length > 0) return publicAnswer;
  const zone = linkedZone(state, position.vnetId);
  if (!zone) return publicAnswer;
  const addresses = zoneARecord(state, zone.zoneId, vaultName);
  if (addresses.length > 0) return { host, addresses, source: 'private-zone', zoneId: zone.zoneId };
  if (zone.nxDomainRedirect) return publicAnswer;
  return { host, addresses: [], error: 'NXDOMAIN', source: 'none', zoneId: zone.zoneId };
}
