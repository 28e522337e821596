/**
 * Virtual networks, subnets, private endpoints, zone groups and peerings (arm-network 36,
 * classic: long-running calls are `beginXAndWait` with core-lro 2 pollers).
 */
import type {
  NetworkManagementClient,
  PrivateEndpoint,
  Subnet,
  VirtualNetwork,
  VirtualNetworkPeering,
  PrivateDnsZoneGroup,
} from '@azure/arm-network';
import type { AzureClients } from './clients.js';
import { azureCall, azureRead } from './errors.js';
import { clientsFor, clientsReferencing } from './subscription-clients.js';

type Ctx = { azure: AzureClients; signal: AbortSignal };

export type { PrivateEndpoint, Subnet, VirtualNetwork, VirtualNetworkPeering, PrivateDnsZoneGroup };

export interface ResourceRef {
  resourceGroup: string;
  name: string;
  /** Absent: the connection's subscription. A VNet of an AKS cluster or a hub often lives in another. */
  subscriptionId?: string;
}

/** Accepts a bare name (in `defaultGroup`) or a full resource id, keeping its subscription. */
export function parseRef(nameOrId: string, defaultGroup: string): ResourceRef {
  const m = /^\/?subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/[^/]+\/[^/]+\/([^/]+)/i.exec(nameOrId);
  return m
    ? { subscriptionId: m[1]!, resourceGroup: m[2]!, name: m[3]! }
    : { resourceGroup: defaultGroup, name: nameOrId };
}

/** `/subscriptions/../virtualNetworks/v/subnets/s` -> the VNet part, subscription included. */
export function vnetRefOfSubnetId(subnetId: string): ResourceRef | undefined {
  const m =
    /^\/?subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Network\/virtualNetworks\/([^/]+)/i.exec(
      subnetId,
    );
  return m ? { subscriptionId: m[1]!, resourceGroup: m[2]!, name: m[3]! } : undefined;
}

/** A resource group in some subscription (a bare name: the connection's subscription). */
export type GroupPlace = string | { resourceGroup: string; subscriptionId?: string };

function placeOf(place: GroupPlace): { resourceGroup: string; subscriptionId?: string } {
  return typeof place === 'string' ? { resourceGroup: place } : place;
}

export function vnetResourceId(azure: AzureClients, ref: ResourceRef): string {
  return `/subscriptions/${ref.subscriptionId ?? azure.subscriptionId}/resourceGroups/${ref.resourceGroup}/providers/Microsoft.Network/virtualNetworks/${ref.name}`;
}

/** The network client for the ref's subscription and its tenant (the connection's own when it is the same). */
async function networkFor(azure: AzureClients, ref: { subscriptionId?: string }): Promise<NetworkManagementClient> {
  return (await clientsFor(azure, ref.subscriptionId)).network;
}

const lro = (ctx: Ctx) => ({ abortSignal: ctx.signal, updateIntervalInMs: ctx.azure.lro.updateIntervalInMs });

export function getVnet(ctx: Ctx, ref: ResourceRef): Promise<VirtualNetwork | undefined> {
  return azureRead(
    `read virtual network ${ref.name}`,
    async () =>
      (await networkFor(ctx.azure, ref)).virtualNetworks.get(ref.resourceGroup, ref.name, { abortSignal: ctx.signal }),
    ctx.signal,
  );
}

export function listVnets(ctx: Ctx, resourceGroup: string): Promise<VirtualNetwork[]> {
  return azureCall(
    `list virtual networks in ${resourceGroup}`,
    async () => {
      const all: VirtualNetwork[] = [];
      for await (const v of ctx.azure.network.virtualNetworks.list(resourceGroup, { abortSignal: ctx.signal }))
        all.push(v);
      return all;
    },
    ctx.signal,
  );
}

export function getSubnet(ctx: Ctx, vnet: ResourceRef, name: string): Promise<Subnet | undefined> {
  return azureRead(
    `read subnet ${vnet.name}/${name}`,
    async () =>
      (await networkFor(ctx.azure, vnet)).subnets.get(vnet.resourceGroup, vnet.name, name, { abortSignal: ctx.signal }),
    ctx.signal,
  );
}

export function createSubnet(ctx: Ctx, vnet: ResourceRef, name: string, addressPrefix: string): Promise<Subnet> {
  return azureCall(
    `create subnet ${vnet.name}/${name}`,
    // Network policies off, as the Key Vault private-link guide does before adding an endpoint.
    async () =>
      (await networkFor(ctx.azure, vnet)).subnets.beginCreateOrUpdateAndWait(
        vnet.resourceGroup,
        vnet.name,
        name,
        { addressPrefix, privateEndpointNetworkPolicies: 'Disabled' },
        lro(ctx),
      ),
    ctx.signal,
  );
}

/**
 * Re-sends a subnet exactly as read: ARM's repair for one whose last operation failed. The whole
 * subnet goes back (read-only fields are dropped by the SDK), so its delegations, NSG and service
 * endpoints survive even when it isn't one this tool made.
 */
export function resendSubnet(ctx: Ctx, vnet: ResourceRef, subnet: Subnet & { name: string }): Promise<Subnet> {
  return azureCall(
    `update subnet ${vnet.name}/${subnet.name}`,
    async () =>
      (await networkFor(ctx.azure, vnet)).subnets.beginCreateOrUpdateAndWait(
        vnet.resourceGroup,
        vnet.name,
        subnet.name,
        subnet,
        lro(ctx),
      ),
    ctx.signal,
  );
}

export function getPrivateEndpoint(ctx: Ctx, place: GroupPlace, name: string): Promise<PrivateEndpoint | undefined> {
  const { resourceGroup, subscriptionId } = placeOf(place);
  return azureRead(
    `read private endpoint ${name}`,
    async () =>
      (await networkFor(ctx.azure, { subscriptionId })).privateEndpoints.get(resourceGroup, name, {
        abortSignal: ctx.signal,
      }),
    ctx.signal,
  );
}

export function createPrivateEndpoint(
  ctx: Ctx,
  place: GroupPlace,
  name: string,
  params: { location: string; subnetId: string; vaultId: string; tags: Record<string, string> },
): Promise<PrivateEndpoint> {
  const { resourceGroup, subscriptionId } = placeOf(place);
  return azureCall(
    `create private endpoint ${name}`,
    async () =>
      (await networkFor(ctx.azure, { subscriptionId })).privateEndpoints.beginCreateOrUpdateAndWait(
        resourceGroup,
        name,
        {
          location: params.location,
          tags: params.tags,
          subnet: { id: params.subnetId },
          privateLinkServiceConnections: [
            { name: `${name}-connection`, privateLinkServiceId: params.vaultId, groupIds: ['vault'] },
          ],
        },
        lro(ctx),
      ),
    ctx.signal,
  );
}

/** The endpoint's private IP: from customDnsConfigs, else from its network interface. */
export async function privateEndpointIp(ctx: Ctx, pe: PrivateEndpoint): Promise<string | undefined> {
  const fromDns = pe.customDnsConfigs?.flatMap((c) => c.ipAddresses ?? [])[0];
  if (fromDns) return fromDns;
  const fromConfig = pe.ipConfigurations?.find((c) => c.privateIPAddress)?.privateIPAddress;
  if (fromConfig) return fromConfig;
  const nicId = pe.networkInterfaces?.[0]?.id;
  const nicRef = nicId ? parseRef(nicId, '') : undefined;
  if (!nicRef?.resourceGroup) return undefined;
  const nic = await azureRead(
    `read network interface ${nicRef.name}`,
    async () =>
      (await networkFor(ctx.azure, nicRef)).networkInterfaces.get(nicRef.resourceGroup, nicRef.name, {
        abortSignal: ctx.signal,
      }),
    ctx.signal,
  );
  return nic?.ipConfigurations?.find((c) => c.privateIPAddress)?.privateIPAddress;
}

export function getZoneGroup(
  ctx: Ctx,
  place: GroupPlace,
  pe: string,
  name: string,
): Promise<PrivateDnsZoneGroup | undefined> {
  const { resourceGroup, subscriptionId } = placeOf(place);
  return azureRead(
    `read DNS zone group ${pe}/${name}`,
    async () =>
      (await networkFor(ctx.azure, { subscriptionId })).privateDnsZoneGroups.get(resourceGroup, pe, name, {
        abortSignal: ctx.signal,
      }),
    ctx.signal,
  );
}

export function createZoneGroup(
  ctx: Ctx,
  place: GroupPlace,
  pe: string,
  name: string,
  zoneId: string,
): Promise<PrivateDnsZoneGroup> {
  const { resourceGroup, subscriptionId } = placeOf(place);
  return azureCall(
    `create DNS zone group ${pe}/${name}`,
    async () => {
      // A zone of another tenant needs that tenant's token too (auxiliary header).
      const { network } = await clientsReferencing(ctx.azure, subscriptionId, zoneId);
      return network.privateDnsZoneGroups.beginCreateOrUpdateAndWait(
        resourceGroup,
        pe,
        name,
        { privateDnsZoneConfigs: [{ name: zoneId.split('/').pop()!.replace(/\./g, '-'), privateDnsZoneId: zoneId }] },
        lro(ctx),
      );
    },
    ctx.signal,
  );
}

export function getPeering(ctx: Ctx, vnet: ResourceRef, name: string): Promise<VirtualNetworkPeering | undefined> {
  return azureRead(
    `read peering ${vnet.name}/${name}`,
    async () =>
      (await networkFor(ctx.azure, vnet)).virtualNetworkPeerings.get(vnet.resourceGroup, vnet.name, name, {
        abortSignal: ctx.signal,
      }),
    ctx.signal,
  );
}

/**
 * Creates a peering, or re-creates one (`existing`: Disconnected, or its last operation failed)
 * with the traffic settings it has, so a peering the owner tuned keeps its gateway/forwarding choices.
 */
export function createPeering(
  ctx: Ctx,
  vnet: ResourceRef,
  name: string,
  remoteVnetId: string,
  existing?: VirtualNetworkPeering,
): Promise<VirtualNetworkPeering> {
  return azureCall(
    `${existing ? 'update' : 'create'} peering ${vnet.name}/${name}`,
    async () => {
      // A remote VNet of another tenant needs that tenant's token too (auxiliary header).
      const { network } = await clientsReferencing(ctx.azure, vnet.subscriptionId, remoteVnetId);
      return network.virtualNetworkPeerings.beginCreateOrUpdateAndWait(
        vnet.resourceGroup,
        vnet.name,
        name,
        {
          remoteVirtualNetwork: { id: remoteVnetId },
          allowVirtualNetworkAccess: existing?.allowVirtualNetworkAccess ?? true,
          allowForwardedTraffic: existing?.allowForwardedTraffic ?? false,
          allowGatewayTransit: existing?.allowGatewayTransit ?? false,
          useRemoteGateways: existing?.useRemoteGateways ?? false,
        },
        lro(ctx),
      );
    },
    ctx.signal,
  );
}
