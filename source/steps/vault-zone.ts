/**
 * Which privatelink.vaultcore.azure.net zone holds the vault's record. A VNet can be linked to
 * only one zone of that name, so when the AKS VNet is already linked to one (a hub zone in
 * hub-and-spoke networks) that zone is used: no new zone, no second link. The preset can name
 * a zone by resource ID (any subscription) or say `create` (network.privateEndpoint.dnsZone).
 */
import type { AzureClients } from '../azure/clients.js';
import type { SetupConfig } from '../config/setup-config.js';
import { ownZone, parseZoneId, zonesLinkedTo, type ZoneRef } from '../azure/private-dns.js';
import { aksVnet } from './topology.js';

type Ctx = { config: SetupConfig; azure: AzureClients; signal: AbortSignal };

export interface VaultZone {
  ref: ZoneRef;
  /** Someone else's zone (named in the preset or already linked to the AKS VNet): used as it is. */
  shared: boolean;
  /** For the plan: why this zone. */
  why: string;
}

export async function vaultZone(ctx: Ctx): Promise<VaultZone> {
  const own = ownZone(ctx.azure, ctx.config.azure.resourceGroup);
  const choice = ctx.config.network?.privateEndpoint?.dnsZone;
  if (choice && choice !== 'create') {
    const ref = parseZoneId(choice);
    if (ref && ref.id.toLowerCase() !== own.id.toLowerCase())
      return { ref, shared: true, why: 'named by network.privateEndpoint.dnsZone' };
  }
  if (choice === 'create') return { ref: own, shared: false, why: 'network.privateEndpoint.dnsZone: create' };
  const aks = await aksVnet(ctx);
  const linked = (await zonesLinkedTo(ctx, aks.id)).find((z) => z.id.toLowerCase() !== own.id.toLowerCase());
  if (linked)
    return {
      ref: linked,
      shared: true,
      why: `the AKS VNet ${aks.ref.name} is already linked to it, and a VNet links to one zone of a name`,
    };
  return { ref: own, shared: false, why: 'in azure.resourceGroup' };
}

export function zoneLabel(zone: VaultZone): string {
  return `${zone.ref.resourceGroup}/${zone.ref.name}`;
}
