/** Private DNS zones, VNet links and record sets (arm-privatedns 3, classic). */
import type { PrivateDnsManagementClient, PrivateZone, VirtualNetworkLink, RecordSet } from '@azure/arm-privatedns';
import type { AzureClients } from './clients.js';
import { azureCall, azureRead } from './errors.js';
import { clientsFor, clientsReferencing } from './subscription-clients.js';

type Ctx = { azure: AzureClients; signal: AbortSignal };

export type { PrivateZone, VirtualNetworkLink, RecordSet };

export const VAULT_PRIVATE_ZONE = 'privatelink.vaultcore.azure.net';

export function zoneId(azure: AzureClients, resourceGroup: string, zone = VAULT_PRIVATE_ZONE): string {
  return `/subscriptions/${azure.subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Network/privateDnsZones/${zone}`;
}

const lro = (ctx: Ctx) => ({ abortSignal: ctx.signal, updateIntervalInMs: ctx.azure.lro.updateIntervalInMs });

export function getZone(ctx: Ctx, resourceGroup: string, zone = VAULT_PRIVATE_ZONE): Promise<PrivateZone | undefined> {
  return azureRead(
    `read private DNS zone ${zone}`,
    () => ctx.azure.privateDns.privateZones.get(resourceGroup, zone, { abortSignal: ctx.signal }),
    ctx.signal,
  );
}

export function createZone(
  ctx: Ctx,
  resourceGroup: string,
  tags: Record<string, string>,
  zone = VAULT_PRIVATE_ZONE,
): Promise<PrivateZone> {
  return azureCall(
    `create private DNS zone ${zone}`,
    // Private DNS zones are global resources.
    () =>
      ctx.azure.privateDns.privateZones.beginCreateOrUpdateAndWait(
        resourceGroup,
        zone,
        { location: 'global', tags },
        lro(ctx),
      ),
    ctx.signal,
  );
}

/** `registrationEnabled` is only ever true when re-sending a link someone else made that way. */
export function createLink(
  ctx: Ctx,
  resourceGroup: string,
  link: string,
  vnetId: string,
  tags: Record<string, string>,
  zone = VAULT_PRIVATE_ZONE,
  registrationEnabled = false,
): Promise<VirtualNetworkLink> {
  return azureCall(
    `link private DNS zone ${zone} to ${vnetId.split('/').pop()}`,
    async () => {
      // A VNet of another tenant needs that tenant's token too (auxiliary header).
      const { privateDns } = await clientsReferencing(ctx.azure, undefined, vnetId);
      return privateDns.virtualNetworkLinks.beginCreateOrUpdateAndWait(
        resourceGroup,
        zone,
        link,
        { location: 'global', tags, virtualNetwork: { id: vnetId }, registrationEnabled },
        lro(ctx),
      );
    },
    ctx.signal,
  );
}

export function listLinks(ctx: Ctx, resourceGroup: string, zone = VAULT_PRIVATE_ZONE): Promise<VirtualNetworkLink[]> {
  return azureCall(
    `list links of private DNS zone ${zone}`,
    async () => {
      const all: VirtualNetworkLink[] = [];
      for await (const l of ctx.azure.privateDns.virtualNetworkLinks.list(resourceGroup, zone, {
        abortSignal: ctx.signal,
      }))
        all.push(l);
      return all;
    },
    ctx.signal,
  );
}

export function getARecord(
  ctx: Ctx,
  resourceGroup: string,
  name: string,
  zone = VAULT_PRIVATE_ZONE,
): Promise<RecordSet | undefined> {
  return azureRead(
    `read DNS record ${name}.${zone}`,
    () => ctx.azure.privateDns.recordSets.get(resourceGroup, zone, 'A', name, { abortSignal: ctx.signal }),
    ctx.signal,
  );
}

/** A private DNS zone anywhere: its subscription, resource group and name. */
export interface ZoneRef {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  id: string;
}

const ZONE_ID =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Network\/privateDnsZones\/([^/]+)$/i;

export function parseZoneId(id: string): ZoneRef | undefined {
  const m = ZONE_ID.exec(id.trim());
  return m
    ? {
        subscriptionId: m[1]!,
        resourceGroup: m[2]!,
        name: m[3]!,
        id: `/subscriptions/${m[1]}/resourceGroups/${m[2]}/providers/Microsoft.Network/privateDnsZones/${m[3]}`,
      }
    : undefined;
}

export function ownZone(azure: AzureClients, resourceGroup: string): ZoneRef {
  return {
    subscriptionId: azure.subscriptionId,
    resourceGroup,
    name: VAULT_PRIVATE_ZONE,
    id: zoneId(azure, resourceGroup),
  };
}

/** The zone client for the zone's subscription and its tenant (a hub zone often lives in another one). */
async function dnsClientFor(azure: AzureClients, subscriptionId: string): Promise<PrivateDnsManagementClient> {
  return (await clientsFor(azure, subscriptionId)).privateDns;
}

export function getZoneAt(ctx: Ctx, ref: ZoneRef): Promise<PrivateZone | undefined> {
  return azureRead(
    `read private DNS zone ${ref.resourceGroup}/${ref.name}`,
    async () =>
      (await dnsClientFor(ctx.azure, ref.subscriptionId)).privateZones.get(ref.resourceGroup, ref.name, {
        abortSignal: ctx.signal,
      }),
    ctx.signal,
  );
}

export function listLinksAt(ctx: Ctx, ref: ZoneRef): Promise<VirtualNetworkLink[]> {
  return azureCall(
    `list links of private DNS zone ${ref.resourceGroup}/${ref.name}`,
    async () => {
      const all: VirtualNetworkLink[] = [];
      for await (const l of (await dnsClientFor(ctx.azure, ref.subscriptionId)).virtualNetworkLinks.list(
        ref.resourceGroup,
        ref.name,
        { abortSignal: ctx.signal },
      ))
        all.push(l);
      return all;
    },
    ctx.signal,
  );
}

export function createLinkAt(
  ctx: Ctx,
  ref: ZoneRef,
  link: string,
  vnetId: string,
  tags: Record<string, string>,
  registrationEnabled = false,
): Promise<VirtualNetworkLink> {
  return azureCall(
    `link private DNS zone ${ref.name} to ${vnetId.split('/').pop()}`,
    async () => {
      const { privateDns } = await clientsReferencing(ctx.azure, ref.subscriptionId, vnetId);
      return privateDns.virtualNetworkLinks.beginCreateOrUpdateAndWait(
        ref.resourceGroup,
        ref.name,
        link,
        { location: 'global', tags, virtualNetwork: { id: vnetId }, registrationEnabled },
        lro(ctx),
      );
    },
    ctx.signal,
  );
}

export function getARecordAt(ctx: Ctx, ref: ZoneRef, name: string): Promise<RecordSet | undefined> {
  return azureRead(
    `read DNS record ${name}.${ref.name}`,
    async () =>
      (await dnsClientFor(ctx.azure, ref.subscriptionId)).recordSets.get(ref.resourceGroup, ref.name, 'A', name, {
        abortSignal: ctx.signal,
      }),
    ctx.signal,
  );
}

/**
 * The zones of this name in the subscription already linked to the VNet. A VNet can be linked
 * to only one zone of a name, so in hub-and-spoke networks that is the central zone to use.
 */
export async function zonesLinkedTo(ctx: Ctx, vnetId: string, zone = VAULT_PRIVATE_ZONE): Promise<ZoneRef[]> {
  const candidates: ZoneRef[] = [];
  await azureCall(
    `list private DNS zones`,
    async () => {
      for await (const z of ctx.azure.privateDns.privateZones.list({ abortSignal: ctx.signal })) {
        const ref = z.id ? parseZoneId(z.id) : undefined;
        if (ref && ref.name.toLowerCase() === zone.toLowerCase()) candidates.push(ref);
      }
    },
    ctx.signal,
  );
  const linked: ZoneRef[] = [];
  for (const ref of candidates) {
    const links = await listLinksAt(ctx, ref);
    if (links.some((l) => l.virtualNetwork?.id?.toLowerCase() === vnetId.toLowerCase())) linked.push(ref);
  }
  return linked;
}
