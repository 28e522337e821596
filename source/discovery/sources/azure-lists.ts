/**
 * What the wizard lists from Azure, through the same SDK clients and helpers the steps use
 * (source/azure/*), shaped for the pickers. Read-only: nothing here writes.
 */
import type { VirtualNetwork } from '@azure/arm-network';
import type { AzureClients } from '../../azure/clients.js';
import { addonProfile, clusterVnet } from '../../azure/aks.js';
import { azureCall } from '../../azure/errors.js';
import { getVnet, listVnets, parseRef } from '../../azure/network.js';
import { getZone, listLinks } from '../../azure/private-dns.js';
import type { AksInfo, NetworkFacts, VnetInfo } from '../port.js';

export type Ctx = { azure: AzureClients; signal: AbortSignal };

/** Used when the subscription's Key Vault regions can't be listed (e.g. no provider read permission). */
const AZURE_REGIONS = [
  'eastus',
  'eastus2',
  'centralus',
  'northcentralus',
  'southcentralus',
  'westcentralus',
  'westus',
  'westus2',
  'westus3',
  'canadacentral',
  'canadaeast',
  'brazilsouth',
  'northeurope',
  'westeurope',
  'uksouth',
  'ukwest',
  'francecentral',
  'germanywestcentral',
  'switzerlandnorth',
  'norwayeast',
  'swedencentral',
  'polandcentral',
  'italynorth',
  'spaincentral',
  'uaenorth',
  'qatarcentral',
  'israelcentral',
  'southafricanorth',
  'centralindia',
  'southindia',
  'eastasia',
  'southeastasia',
  'japaneast',
  'japanwest',
  'koreacentral',
  'australiaeast',
  'australiasoutheast',
];

/** "East US 2" (how providers list them) → "eastus2" (how ARM takes them). */
const regionName = (display: string) => display.toLowerCase().replace(/[^a-z0-9]/g, '');

export const groupOf = (id: string | undefined) => /\/resourceGroups\/([^/]+)/i.exec(id ?? '')?.[1] ?? '';

export async function collect<T>(what: string, iterable: () => AsyncIterable<T>, signal: AbortSignal): Promise<T[]> {
  return azureCall(
    what,
    async () => {
      const all: T[] = [];
      for await (const item of iterable()) all.push(item);
      return all;
    },
    signal,
  );
}

export async function listResourceGroups(ctx: Ctx): Promise<{ name: string; location: string }[]> {
  const groups = await collect(
    'list resource groups',
    () => ctx.azure.resources.resourceGroups.list({ abortSignal: ctx.signal }),
    ctx.signal,
  );
  return groups
    .map((g) => ({ name: g.name ?? '', location: g.location }))
    .filter((g) => g.name)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Regions where Microsoft.KeyVault offers vaults; the built-in list when that can't be read. */
export async function listLocations(ctx: Ctx): Promise<string[]> {
  try {
    const provider = await ctx.azure.resources.providers.get('Microsoft.KeyVault', { abortSignal: ctx.signal });
    const vaults = provider.resourceTypes?.find((t) => t.resourceType?.toLowerCase() === 'vaults');
    const names = [...new Set((vaults?.locations ?? []).map(regionName))].filter(Boolean).sort();
    return names.length > 0 ? names : AZURE_REGIONS;
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    return AZURE_REGIONS;
  }
}

export async function listVaults(ctx: Ctx): Promise<{ name: string; resourceGroup: string; location?: string }[]> {
  const vaults = await collect(
    'list vaults',
    () => ctx.azure.keyVault.vaults.listBySubscription({ abortSignal: ctx.signal }),
    ctx.signal,
  );
  return vaults
    .map((v) => ({ name: v.name ?? '', resourceGroup: groupOf(v.id), ...(v.location ? { location: v.location } : {}) }))
    .filter((v) => v.name);
}

function vnetInfo(v: VirtualNetwork): VnetInfo {
  return {
    id: v.id ?? '',
    name: v.name ?? '',
    resourceGroup: groupOf(v.id),
    ...(v.location ? { location: v.location } : {}),
    addressSpace: v.addressSpace?.addressPrefixes ?? [],
    subnets: (v.subnets ?? []).map((s) => ({
      name: s.name ?? '',
      ...((s.addressPrefix ?? s.addressPrefixes?.[0])
        ? { addressPrefix: s.addressPrefix ?? s.addressPrefixes?.[0] }
        : {}),
    })),
  };
}

export async function listVnetInfos(ctx: Ctx, resourceGroup: string): Promise<VnetInfo[]> {
  return (await listVnets(ctx, resourceGroup)).map(vnetInfo).sort((a, b) => a.name.localeCompare(b.name));
}

export async function listAksClusters(ctx: Ctx): Promise<AksInfo[]> {
  const clusters = await collect(
    'list AKS clusters',
    () => ctx.azure.containerService.managedClusters.list({ abortSignal: ctx.signal }),
    ctx.signal,
  );
  return Promise.all(
    clusters.map(async (c): Promise<AksInfo> => {
      const placed = await clusterVnet(ctx, c);
      const vnet = placed ? await getVnet(ctx, placed.ref) : undefined;
      return {
        name: c.name ?? '',
        resourceGroup: groupOf(c.id),
        ...(c.location ? { location: c.location } : {}),
        ...(vnet ? { vnet: vnetInfo(vnet) } : {}),
        ...(c.oidcIssuerProfile?.issuerURL ? { oidcIssuer: c.oidcIssuerProfile.issuerURL } : {}),
        addonEnabled: addonProfile(c)?.enabled === true,
      };
    }),
  );
}

/** What of the private-DNS and peering side exists already, so the picture marks it. */
export async function readNetworkFacts(
  ctx: Ctx,
  input: { resourceGroup: string; clusterVnet: VnetInfo; endpointVnet: VnetInfo },
): Promise<NetworkFacts> {
  const zone = await getZone(ctx, input.resourceGroup);
  const links = zone ? await listLinks(ctx, input.resourceGroup) : [];
  const linkedVnets = links.map((l) => l.virtualNetwork?.id?.split('/').pop() ?? '').filter(Boolean);
  const ref = parseRef(input.clusterVnet.id, input.clusterVnet.resourceGroup);
  const peerings = await collect(
    `list peerings of ${ref.name}`,
    () => ctx.azure.network.virtualNetworkPeerings.list(ref.resourceGroup, ref.name, { abortSignal: ctx.signal }),
    ctx.signal,
  );
  const peeringExists = peerings.some(
    (p) => p.remoteVirtualNetwork?.id?.toLowerCase() === input.endpointVnet.id.toLowerCase(),
  );
  return { dnsZoneExists: zone !== undefined, linkedVnets, peeringExists };
}
