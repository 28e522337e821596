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
  return azureRead(
    `read AKS cluster ${name}`,
    () => ctx.azure.containerService.managedClusters.get(resourceGroup, name, { abortSignal: ctx.signal }),
    ctx.signal,
  );
}

export async function requireCluster(ctx: Ctx, resourceGroup: string, name: string): Promise<ManagedCluster> {
  const cluster = await getCluster(ctx, resourceGroup, name);
  if (!cluster)
    throw new UserError(
      `Can't find AKS cluster ${name} in resource group ${resourceGroup}.`,
      'Check cluster.aks.resourceGroup and cluster.aks.name in the preset.',
    );
  return cluster;
}

export interface AddonSettings {
  enabled: boolean;
  enableSecretRotation: string;
  rotationPollInterval: string;
}

/** The key the cluster stores the add-on under: AKS compares add-on keys ignoring case. */
function addonKey(cluster: ManagedCluster, key = KV_ADDON): string {
  return Object.keys(cluster.addonProfiles ?? {}).find((k) => k.toLowerCase() === key.toLowerCase()) ?? key;
}

export function addonProfile(
  cluster: ManagedCluster,
): NonNullable<ManagedCluster['addonProfiles']>[string] | undefined {
  return cluster.addonProfiles?.[addonKey(cluster)];
}

export function addonSettings(cluster: ManagedCluster): AddonSettings | undefined {
  const profile = addonProfile(cluster);
  if (!profile) return undefined;
  return {
    enabled: profile.enabled,
    enableSecretRotation: profile.config?.['enableSecretRotation'] ?? 'false',
    rotationPollInterval: profile.config?.['rotationPollInterval'] ?? '2m',
  };
}

export function addonIdentity(
  cluster: ManagedCluster,
): { clientId?: string; objectId?: string; resourceId?: string } | undefined {
  return addonProfile(cluster)?.identity;
}

/**
 * Edits only the add-on's profile of the cluster just read (under the key it already has) and
 * PUTs the whole cluster back with If-Match: a PUT replaces every writable property, so a
 * change someone made since the read must not be overwritten. On 412 it reads again and
 * re-applies the same edit, once.
 */
async function putClusterEdit(
  ctx: Ctx,
  resourceGroup: string,
  cluster: ManagedCluster,
  edit: (fresh: ManagedCluster) => ManagedCluster,
  what: string,
): Promise<ManagedCluster> {
  const name = cluster.name ?? '';
  const send = (current: ManagedCluster) =>
    azureCall(
      `${what} on AKS cluster ${name}`,
      async () =>
        ctx.azure.containerService.managedClusters.createOrUpdate(resourceGroup, name, edit(current), {
          abortSignal: ctx.signal,
          updateIntervalInMs: ctx.azure.lro.updateIntervalInMs,
          ...(current.eTag ? { ifMatch: current.eTag } : {}),
        }),
      ctx.signal,
    );
  try {
    return await send(cluster);
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode !== 412) throw error;
    return send(await requireCluster(ctx, resourceGroup, name));
  }
}

export function putAddon(
  ctx: Ctx,
  resourceGroup: string,
  cluster: ManagedCluster,
  settings: AddonSettings,
  extra: (fresh: ManagedCluster) => Partial<ManagedCluster> = () => ({}),
): Promise<ManagedCluster> {
  return putAddonProfile(
    ctx,
    resourceGroup,
    cluster,
    (profile) => ({
      enabled: settings.enabled,
      config: {
        ...profile?.config,
        enableSecretRotation: settings.enableSecretRotation,
        rotationPollInterval: settings.rotationPollInterval,
      },
    }),
    extra,
    'enable the Key Vault add-on',
  );
}

/**
 * GET-edit-PUT of the Key Vault add-on's profile, under whatever key case the cluster has it,
 * keeping every other add-on as it is.
 */
export function putAddonProfile(
  ctx: Ctx,
  resourceGroup: string,
  cluster: ManagedCluster,
  profileFor: (current: AddonProfile | undefined) => AddonProfile,
  extra: (fresh: ManagedCluster) => Partial<ManagedCluster>,
  action: string,
): Promise<ManagedCluster> {
  return putClusterEdit(
    ctx,
    resourceGroup,
    cluster,
    (fresh) => {
      const key = addonKey(fresh);
      return {
        ...fresh,
        ...extra(fresh),
        addonProfiles: { ...fresh.addonProfiles, [key]: profileFor(fresh.addonProfiles?.[key]) },
      };
    },
    action,
  );
}

type AddonProfile = NonNullable<ManagedCluster['addonProfiles']>[string];

/**
 * The VNet the cluster's nodes sit in: from an agent pool's vnetSubnetID (custom VNet), or the
 * only VNet in the node resource group (AKS-managed VNet).
 */
export async function clusterVnet(
  ctx: Ctx,
  cluster: ManagedCluster,
): Promise<{ ref: ResourceRef; id: string } | undefined> {
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
