/** Private DNS zones, VNet links and record sets (arm-privatedns 3, classic). */
import type { PrivateZone, VirtualNetworkLink, RecordSet } from '@azure/arm-privatedns';
import type { AzureClients } from './clients.js';
import { azureCall, azureRead } from './errors.js';

type Ctx = { azure: AzureClients; signal: AbortSignal };

export type { PrivateZone, VirtualNetworkLink, RecordSet };

export const VAULT_PRIVATE_ZONE = 'privatelink.vaultcore.azure.net';

export function zoneId(azure: AzureClients, resourceGroup: string, zone = VAULT_PRIVATE_ZONE): string {
  return `/subscriptions/${azure.subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Network/privateDnsZones/${zone}`;
}

const lro = (ctx: Ctx) => ({ abortSignal: ctx.signal, updateIntervalInMs: ctx.azure.lro.updateIntervalInMs });

export function getZone(ctx: Ctx, resourceGroup: string, zone = VAULT_PRIVATE_ZONE): Promise<PrivateZone | undefined> {
  return azureRead(`read private DNS zone ${zone}`, () => ctx.azure.privateDns.privateZones.get(resourceGroup, zone, { abortSignal: ctx.signal }), ctx.signal);
}

export function createZone(ctx: Ctx, resourceGroup: string, tags: Record<string, string>, zone = VAULT_PRIVATE_ZONE): Promise<PrivateZone> {
  return azureCall(
    `create private DNS zone ${zone}`,
    // Private DNS zones are global resources.
    () => ctx.azure.privateDns.privateZones.beginCreateOrUpdateAndWait(resourceGroup, zone, { location: 'global', tags }, lro(ctx)),
    ctx.signal,
  );
}

/** `registrationEnabled` is only ever true when re-sending a link someone else made that way. */
export function createLink(ctx: Ctx, resourceGroup: string, link: string, vnetId: string, tags: Record<string, string>, zone = VAULT_PRIVATE_ZONE, registrationEnabled = false): Promise<VirtualNetworkLink> {
  return azureCall(
    `link private DNS zone ${zone} to ${vnetId.split('/').pop()}`,
    () => ctx.azure.privateDns.virtualNetworkLinks.beginCreateOrUpdateAndWait(resourceGroup, zone, link, { location: 'global', tags, virtualNetwork: { id: vnetId }, registrationEnabled }, lro(ctx)),
    ctx.signal,
  );
}

export function listLinks(ctx: Ctx, resourceGroup: string, zone = VAULT_PRIVATE_ZONE): Promise<VirtualNetworkLink[]> {
  return azureCall(
    `list links of private DNS zone ${zone}`,
    async () => {
      const all: VirtualNetworkLink[] = [];
      for await (const l of ctx.azure.privateDns.virtualNetworkLinks.list(resourceGroup, zone, { abortSignal: ctx.signal })) all.push(l);
      return all;
    },
    ctx.signal,
  );
}

export function getARecord(ctx: Ctx, resourceGroup: string, name: string, zone = VAULT_PRIVATE_ZONE): Promise<RecordSet | undefined> {
  return azureRead(`read DNS record ${name}.${zone}`, () => ctx.azure.privateDns.recordSets.get(resourceGroup, zone, 'A', name, { abortSignal: ctx.signal }), ctx.signal);
}
