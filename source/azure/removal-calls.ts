/**
 * The removal calls uninstall makes, through the official SDKs (long-running deletes through
 * their pollers). Each names its operation, so a failure says what remains. A 404 on delete
 * means it is already gone, which is the goal: re-running continues.
 */
import type { ManagedCluster } from '@azure/arm-containerservice';
import type { AzureClients } from './clients.js';
import { azureCall } from './errors.js';
import { isNotFound } from './errors.js';
import { addonKey, putClusterEdit } from './aks.js';
import { sdkScope } from './roles.js';
import { VAULT_PRIVATE_ZONE } from './private-dns.js';
import type { GroupPlace, ResourceRef } from './network.js';
import { clientsFor } from './subscription-clients.js';

type Ctx = { azure: AzureClients; signal: AbortSignal };

const lro = (ctx: Ctx) => ({ abortSignal: ctx.signal, updateIntervalInMs: ctx.azure.lro.updateIntervalInMs });

async function gone(operation: string, ctx: Ctx, call: () => Promise<unknown>): Promise<void> {
  await azureCall(
    operation,
    async () => {
      try {
        await call();
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    },
    ctx.signal,
  );
}

export function putVaultTags(
  ctx: Ctx,
  resourceGroup: string,
  vault: string,
  tags: Record<string, string>,
): Promise<unknown> {
  // PATCH with tags only: ARM replaces the tag map and leaves every property as it is.
  return azureCall(
    `update the tags of vault ${vault}`,
    () => ctx.azure.keyVault.vaults.update(resourceGroup, vault, { tags }, { abortSignal: ctx.signal }),
    ctx.signal,
  );
}

export function patchIpRules(
  ctx: Ctx,
  resourceGroup: string,
  vault: string,
  acls: { defaultAction: string; bypass: string; ipRules: string[]; virtualNetworkRules: { id: string }[] },
): Promise<unknown> {
  return azureCall(
    `remove firewall rules from vault ${vault}`,
    () =>
      ctx.azure.keyVault.vaults.update(
        resourceGroup,
        vault,
        { properties: { networkAcls: { ...acls, ipRules: acls.ipRules.map((value) => ({ value })) } } },
        { abortSignal: ctx.signal },
      ),
    ctx.signal,
  );
}

export function deleteRoleAssignment(ctx: Ctx, scope: string, name: string): Promise<void> {
  return gone(`remove role assignment ${name}`, ctx, () =>
    ctx.azure.authorization.roleAssignments.delete(sdkScope(scope), name, { abortSignal: ctx.signal }),
  );
}

export function deleteFederatedCredential(
  ctx: Ctx,
  resourceGroup: string,
  identity: string,
  name: string,
): Promise<void> {
  return gone(`remove federated credential ${identity}/${name}`, ctx, () =>
    ctx.azure.msi.federatedIdentityCredentials.delete(resourceGroup, identity, name, { abortSignal: ctx.signal }),
  );
}

export function deleteIdentity(ctx: Ctx, resourceGroup: string, name: string): Promise<void> {
  return gone(`remove managed identity ${name}`, ctx, () =>
    ctx.azure.msi.userAssignedIdentities.delete(resourceGroup, name, { abortSignal: ctx.signal }),
  );
}

/** GET-edit-PUT as on enable: the add-on off (AKS then removes its identity) and our tag gone. */
export function disableAddon(
  ctx: Ctx,
  resourceGroup: string,
  cluster: ManagedCluster,
  tags: Record<string, string>,
): Promise<unknown> {
  return putClusterEdit(
    ctx,
    resourceGroup,
    cluster,
    (fresh) => {
      const key = addonKey(fresh);
      const profile = fresh.addonProfiles?.[key];
      return {
        ...fresh,
        tags,
        addonProfiles: {
          ...fresh.addonProfiles,
          [key]: { enabled: false, ...(profile?.config ? { config: profile.config } : {}) },
        },
      };
    },
    'turn off the Key Vault add-on',
  );
}

/** The network client of the place's subscription (an endpoint lives in its VNet's). */
async function networkAt(ctx: Ctx, place: GroupPlace) {
  return (await clientsFor(ctx.azure, typeof place === 'string' ? undefined : place.subscriptionId)).network;
}

const groupOf = (place: GroupPlace) => (typeof place === 'string' ? place : place.resourceGroup);

export function deleteZoneGroup(ctx: Ctx, place: GroupPlace, endpoint: string, name: string): Promise<void> {
  return gone(`remove DNS zone group ${endpoint}/${name}`, ctx, async () =>
    (await networkAt(ctx, place)).privateDnsZoneGroups.beginDeleteAndWait(groupOf(place), endpoint, name, lro(ctx)),
  );
}

export function deleteLink(ctx: Ctx, resourceGroup: string, link: string): Promise<void> {
  return gone(`remove DNS zone link ${link}`, ctx, () =>
    ctx.azure.privateDns.virtualNetworkLinks.beginDeleteAndWait(resourceGroup, VAULT_PRIVATE_ZONE, link, lro(ctx)),
  );
}

export function deletePrivateEndpoint(ctx: Ctx, place: GroupPlace, name: string): Promise<void> {
  return gone(`remove private endpoint ${name}`, ctx, async () =>
    (await networkAt(ctx, place)).privateEndpoints.beginDeleteAndWait(groupOf(place), name, lro(ctx)),
  );
}

export function deleteZone(ctx: Ctx, resourceGroup: string): Promise<void> {
  return gone(`remove private DNS zone ${VAULT_PRIVATE_ZONE}`, ctx, () =>
    ctx.azure.privateDns.privateZones.beginDeleteAndWait(resourceGroup, VAULT_PRIVATE_ZONE, lro(ctx)),
  );
}

export async function listRecordNames(ctx: Ctx, resourceGroup: string): Promise<{ type: string; name: string }[]> {
  return azureCall(
    `list records of private DNS zone ${VAULT_PRIVATE_ZONE}`,
    async () => {
      const all: { type: string; name: string }[] = [];
      for await (const r of ctx.azure.privateDns.recordSets.list(resourceGroup, VAULT_PRIVATE_ZONE, {
        abortSignal: ctx.signal,
      }))
        all.push({ type: (r.type ?? '').split('/').pop() ?? '', name: r.name ?? '' });
      return all;
    },
    ctx.signal,
  );
}

export function deleteSubnet(ctx: Ctx, vnet: ResourceRef, name: string): Promise<void> {
  return gone(`remove subnet ${vnet.name}/${name}`, ctx, async () =>
    (await networkAt(ctx, vnet)).subnets.beginDeleteAndWait(vnet.resourceGroup, vnet.name, name, lro(ctx)),
  );
}

export function deletePeering(ctx: Ctx, vnet: ResourceRef, name: string): Promise<void> {
  return gone(`remove peering ${vnet.name}/${name}`, ctx, async () =>
    (await networkAt(ctx, vnet)).virtualNetworkPeerings.beginDeleteAndWait(
      vnet.resourceGroup,
      vnet.name,
      name,
      lro(ctx),
    ),
  );
}

export function deleteVault(ctx: Ctx, resourceGroup: string, name: string): Promise<void> {
  return gone(`delete vault ${name}`, ctx, () =>
    ctx.azure.keyVault.vaults.delete(resourceGroup, name, { abortSignal: ctx.signal }),
  );
}

export function purgeVault(ctx: Ctx, name: string, location: string): Promise<void> {
  return gone(`purge vault ${name}`, ctx, async () => ctx.azure.keyVault.vaults.purgeDeleted(name, location, lro(ctx)));
}
