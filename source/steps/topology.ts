/**
 * Names and lookups the azure-topology steps share, derived from the preset alone so every
 * step can plan on its own (no step reads another step's output).
 */
import { UserError } from '../kernel/errors.js';
import type { SetupConfig } from '../config/setup-config.js';
import type { AzureClients } from '../azure/clients.js';
import { clusterVnet, requireCluster } from '../azure/aks.js';
import { getVnet, parseRef, vnetResourceId, type ResourceRef, type VirtualNetwork } from '../azure/network.js';

type Ctx = { config: SetupConfig; azure: AzureClients; signal: AbortSignal };

export function endpointVnetRef(config: SetupConfig): ResourceRef {
  const pe = config.network?.privateEndpoint;
  if (!pe)
    throw new UserError(
      'target azure needs network.privateEndpoint (vnet, subnet).',
      'Add network.privateEndpoint to the preset.',
    );
  return parseRef(pe.vnet, pe.resourceGroup ?? config.azure.resourceGroup);
}

export function endpointSubnetName(config: SetupConfig): string {
  return config.network?.privateEndpoint?.subnet ?? '';
}

/**
 * Where the private endpoint (and its zone group) lives: Azure requires an endpoint in its
 * VNet's subscription, so with an endpoint VNet of another subscription it goes into that
 * VNet's resource group there; otherwise into azure.resourceGroup.
 */
export function endpointPlace(config: SetupConfig): { resourceGroup: string; subscriptionId?: string } {
  const ref = config.network?.privateEndpoint ? endpointVnetRef(config) : undefined;
  if (ref?.subscriptionId && ref.subscriptionId.toLowerCase() !== config.azure.subscriptionId.toLowerCase())
    return { resourceGroup: ref.resourceGroup, subscriptionId: ref.subscriptionId };
  return { resourceGroup: config.azure.resourceGroup };
}

export function privateEndpointName(config: SetupConfig): string {
  return `${config.vault.name}-pe`;
}

export const ZONE_GROUP_NAME = 'default';

export function linkName(vnetName: string): string {
  return `${vnetName}-link`;
}

export function peeringName(from: string, to: string): string {
  return `${from}-to-${to}`;
}

export function aksRef(config: SetupConfig): ResourceRef {
  const aks = config.cluster?.aks;
  if (!aks)
    throw new UserError('target azure needs cluster.aks (resourceGroup, name).', 'Add cluster.aks to the preset.');
  return { resourceGroup: aks.resourceGroup, name: aks.name };
}

export interface VnetInfo {
  ref: ResourceRef;
  id: string;
  vnet: VirtualNetwork;
  prefixes: string[];
}

async function describe(ctx: Ctx, ref: ResourceRef, role: string): Promise<VnetInfo> {
  const vnet = await getVnet(ctx, ref);
  if (!vnet)
    throw new UserError(
      `Can't find the ${role} VNet ${ref.name} in resource group ${ref.resourceGroup}.`,
      role === 'endpoint'
        ? 'Fix network.privateEndpoint.vnet in the preset, or create that VNet first.'
        : 'Check cluster.aks in the preset.',
    );
  return { ref, id: vnetResourceId(ctx.azure, ref), vnet, prefixes: vnet.addressSpace?.addressPrefixes ?? [] };
}

export function endpointVnet(ctx: Ctx): Promise<VnetInfo> {
  return describe(ctx, endpointVnetRef(ctx.config), 'endpoint');
}

export async function aksVnet(ctx: Ctx): Promise<VnetInfo> {
  const ref = aksRef(ctx.config);
  const cluster = await requireCluster(ctx, ref.resourceGroup, ref.name);
  const found = await clusterVnet(ctx, cluster);
  if (!found)
    throw new UserError(
      `Can't tell which VNet AKS cluster ${ref.name} uses: no agent pool has a vnetSubnetID and its node resource group has no single VNet.`,
    );
  return describe(ctx, found.ref, 'AKS');
}

export function sameVnet(a: VnetInfo, b: VnetInfo): boolean {
  return a.id.toLowerCase() === b.id.toLowerCase();
}
