/**
 * Virtual networks, subnets, private endpoints, zone groups and peerings (arm-network 36,
 * classic: long-running calls are `beginXAndWait` with core-lro 2 pollers).
 */
import { NetworkManagementClient, type PrivateEndpoint, type Subnet, type VirtualNetwork, type VirtualNetworkPeering, type PrivateDnsZoneGroup } from '@azure/arm-network';
import type { AzureClients } from './clients.js';
import { azureCall, azureRead } from './errors.js';

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
  return m ? { subscriptionId: m[1]!, resourceGroup: m[2]!, name: m[3]! } : { resourceGroup: defaultGroup, name: nameOrId };
}

/** `/subscriptions/../virtualNetworks/v/subnets/s` -> the VNet part, subscription included. */
export function vnetRefOfSubnetId(subnetId: string): ResourceRef | undefined {
  const m = /^\/?subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Network\/virtualNetworks\/([^/]+)/i.exec(subnetId);
  return m ? { subscriptionId: m[1]!, resourceGroup: m[2]!, name: m[3]! } : undefined;
}

export function vnetResourceId(azure: AzureClients, ref: ResourceRef): string {
  return `/subscriptions/${ref.subscriptionId ?? azure.subscriptionId}/resourceGroups/${ref.resourceGroup}/providers/Microsoft.Network/virtualNetworks/${ref.name}`;
}

/** The network client for the ref's subscription (the connection's own when it is the same). */
function networkFor(azure: AzureClients, ref: ResourceRef): NetworkManagementClient {
  const sub = ref.subscriptionId;
  if (!sub || sub.toLowerCase() === azure.subscriptionId.toLowerCase()) return azure.network;
  const endpoint = azure.connection.endpoint.replace(/\/+$/, '');
  return new NetworkManagementClient(azure.connection.credential, sub, {
    endpoint,
    credentialScopes: [`${endpoint}/.default`],
    retryOptions: azure.connection.retry,
    ...(azure.connection.tlsOptions ? { tlsOptions: azure.connection.tlsOptions } : {}),
    userAgentOptions: { userAgentPrefix: 'feathr-kv-setup' },
  });
}

const lro = (ctx: Ctx) => ({ abortSignal: ctx.signal, updateIntervalInMs: ctx.azure.lro.updateIntervalInMs });

export function getVnet(ctx: Ctx, ref: ResourceRef): Promise<VirtualNetwork | undefined> {
  return azureRead(`read virtual network ${ref.name}`, () => networkFor(ctx.azure, ref).virtualNetworks.get(ref.resourceGroup, ref.name, { abortSignal: ctx.signal }), ctx.signal);
}

export function listVnets(ctx: Ctx, resourceGroup: string): Promise<VirtualNetwork[]> {
  return azureCall(
    `list virtual networks in ${resourceGroup}`,
    async () => {
      const all: VirtualNetwork[] = [];
      for await (const v of ctx.azure.network.virtualNetworks.list(resourceGroup, { abortSignal: ctx.signal })) all.push(v);
      return all;
    },
    ctx.signal,
  );
}

export function getSubnet(ctx: Ctx, vnet: ResourceRef, name: string): Promise<Subnet | undefined> {
  return azureRead(`read subnet ${vnet.name}/${name}`, () => networkFor(ctx.azure, vnet).subnets.get(vnet.resourceGroup, vnet.name, name, { abortSignal: ctx.signal }), ctx.signal);
}

export function createSubnet(ctx: Ctx, vnet: ResourceRef, name: string, addressPrefix: string): Promise<Subnet> {
  return azureCall(
    `create subnet ${vnet.name}/${name}`,
    // Network policies off, as the Key Vault private-link guide does before adding an endpoint.
    () => networkFor(ctx.azure, vnet).subnets.beginCreateOrUpdateAndWait(vnet.resourceGroup, vnet.name, name, { addressPrefix, privateEndpointNetworkPolicies: 'Disabled' }, lro(ctx)),
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
    () => networkFor(ctx.azure, vnet).subnets.beginCreateOrUpdateAndWait(vnet.resourceGroup, vnet.name, subnet.name, subnet, lro(ctx)),
    ctx.signal,
  );
}

export function getPrivateEndpoint(ctx: Ctx, resourceGroup: string, name: string): Promise<PrivateEndpoint | undefined> {
  return azureRead(`read private endpoint ${name}`, () => ctx.azure.network.privateEndpoints.get(resourceGroup, name, { abortSignal: ctx.signal }), ctx.signal);
}

export function createPrivateEndpoint(ctx: Ctx, resourceGroup: string, name: string, params: { location: string; subnetId: string; vaultId: string; tags: Record<string, string> }): Promise<PrivateEndpoint> {
  return azureCall(
    `create private endpoint ${name}`,
    () =>
      ctx.azure.network.privateEndpoints.beginCreateOrUpdateAndWait(
        resourceGroup,
        name,
        {
          location: params.location,
          tags: params.tags,
          subnet: { id: params.subnetId },
          privateLinkServiceConnections: [{ name: `${name}-connection`, privateLinkServiceId: params.vaultId, groupIds: ['vault'] }],
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
  const nic = await azureRead(`read network interface ${nicRef.name}`, () => ctx.azure.network.networkInterfaces.get(nicRef.resourceGroup, nicRef.name, { abortSignal: ctx.signal }), ctx.signal);
  return nic?.ipConfigurations?.find((c) => c.privateIPAddress)?.privateIPAddress;
}

export function getZoneGroup(ctx: Ctx, resourceGroup: string, pe: string, name: string): Promise<PrivateDnsZoneGroup | undefined> {
  return azureRead(`read DNS zone group ${pe}/${name}`, () => ctx.azure.network.privateDnsZoneGroups.get(resourceGroup, pe, name, { abortSignal: ctx.signal }), ctx.signal);
}

export function createZoneGroup(ctx: Ctx, resourceGroup: string, pe: string, name: string, zoneId: string): Promise<PrivateDnsZoneGroup> {
  return azureCall(
    `create DNS zone group ${pe}/${name}`,
    () =>
      ctx.azure.network.privateDnsZoneGroups.beginCreateOrUpdateAndWait(
        resourceGroup,
        pe,
        name,
        { privateDnsZoneConfigs: [{ name: zoneId.split('/').pop()!.replace(/\./g, '-'), privateDnsZoneId: zoneId }] },
        lro(ctx),
      ),
    ctx.signal,
  );
}

export function getPeering(ctx: Ctx, vnet: ResourceRef, name: string): Promise<VirtualNetworkPeering | undefined> {
  return azureRead(`read peering ${vnet.name}/${name}`, () => networkFor(ctx.azure, vnet).virtualNetworkPeerings.get(vnet.resourceGroup, vnet.name, name, { abortSignal: ctx.signal }), ctx.signal);
}

/**
 * Creates a peering, or re-creates one (`existing`: Disconnected, or its last operation failed)
 * with the traffic settings it has, so a peering the owner tuned keeps its gateway/forwarding choices.
 */
export function createPeering(ctx: Ctx, vnet: ResourceRef, name: string, remoteVnetId: string, existing?: VirtualNetworkPeering): Promise<VirtualNetworkPeering> {
  return azureCall(
    `${existing ? 'update' : 'create'} peering ${vnet.name}/${name}`,
    () =>
      networkFor(ctx.azure, vnet).virtualNetworkPeerings.beginCreateOrUpdateAndWait(
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
      ),
    ctx.signal,
  );
}
