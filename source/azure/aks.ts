/** AKS managed clusters (arm-containerservice 25, modular). There is no "enable add-on" call: GET, edit addonProfiles, PUT. */
import type { ManagedCluster } from '@azure/arm-containerservice';
import type { AzureClients } from './clients.js';
import { UserError } from '../kernel/errors.js';
import { azureCall, azureRead } from './errors.js';
import { listVnets, vnetRefOfSubnetId, vnetResourceId, type ResourceRef } from './network.js';

type Ctx = { azure: AzureClients; signal: AbortSignal };

export type { ManagedCluster };

export const KV_ADDON = 'azureKeyvaultSecretsProvider';

export function getCluster(ctx: Ctx, resourceGroup: string, name: string): Promise<ManagedCluster | undefined> {
  return azureRead(`read AKS cluster ${name}`, () => ctx.azure.containerService.managedClusters.get(resourceGroup, name, { abortSignal: ctx.signal }), ctx.signal);
}

export async function requireCluster(ctx: Ctx, resourceGroup: string, name: string): Promise<ManagedCluster> {
  const cluster = await getCluster(ctx, resourceGroup, name);
  if (!cluster) throw new UserError(`Can't find AKS cluster ${name} in resource group ${resourceGroup}.`, 'Check cluster.aks.resourceGroup and cluster.aks.name in the preset.');
  return cluster;
}

export interface AddonSettings {
  enabled: boolean;
  enableSecretRotation: string;
  rotationPollInterval: string;
}

export function addonSettings(cluster: ManagedCluster): AddonSettings | undefined {
  const profile = cluster.addonProfiles?.[KV_ADDON];
  if (!profile) return undefined;
  return { enabled: profile.enabled, enableSecretRotation: profile.config?.['enableSecretRotation'] ?? 'false', rotationPollInterval: profile.config?.['rotationPollInterval'] ?? '2m' };
}

export function addonIdentity(cluster: ManagedCluster): { clientId?: string; objectId?: string; resourceId?: string } | undefined {
  return cluster.addonProfiles?.[KV_ADDON]?.identity;
}

/** Edits only addonProfiles.azureKeyvaultSecretsProvider of the cluster just read, then PUTs it back. */
export function putAddon(ctx: Ctx, resourceGroup: string, cluster: ManagedCluster, settings: AddonSettings): Promise<ManagedCluster> {
  const name = cluster.name ?? '';
  const updated: ManagedCluster = {
    ...cluster,
    addonProfiles: {
      ...cluster.addonProfiles,
      [KV_ADDON]: { enabled: settings.enabled, config: { ...cluster.addonProfiles?.[KV_ADDON]?.config, enableSecretRotation: settings.enableSecretRotation, rotationPollInterval: settings.rotationPollInterval } },
    },
  };
  return azureCall(
    `enable the Key Vault add-on on AKS cluster ${name}`,
    async () => ctx.azure.containerService.managedClusters.createOrUpdate(resourceGroup, name, updated, { abortSignal: ctx.signal, updateIntervalInMs: ctx.azure.lro.updateIntervalInMs }),
    ctx.signal,
  );
}

/**
 * The VNet the cluster's nodes sit in: from an agent pool's vnetSubnetID (custom VNet), or the
 * only VNet in the node resource group (AKS-managed VNet).
 */
export async function clusterVnet(ctx: Ctx, cluster: ManagedCluster): Promise<{ ref: ResourceRef; id: string } | undefined> {
  const subnetId = cluster.agentPoolProfiles?.find((p) => p.vnetSubnetID)?.vnetSubnetID;
  const fromSubnet = subnetId ? vnetRefOfSubnetId(subnetId) : undefined;
  if (fromSubnet) return { ref: fromSubnet, id: vnetResourceId(ctx.azure, fromSubnet) };
  if (!cluster.nodeResourceGroup) return undefined;
  const vnets = await listVnets(ctx, cluster.nodeResourceGroup);
  const only = vnets.length === 1 ? vnets[0] : undefined;
  if (!only?.name) return undefined;
  const ref = { resourceGroup: cluster.nodeResourceGroup, name: only.name };
  return { ref, id: vnetResourceId(ctx.azure, ref) };
}
