/** Key Vault management plane (arm-keyvault 5, modular: `createOrUpdate` returns a poller). */
import type { Vault, VaultProperties, NetworkRuleSet, AccessPolicyEntry } from '@azure/arm-keyvault';
import type { AzureClients } from './clients.js';
import { azureCall, azureRead } from './errors.js';

type Ctx = { azure: AzureClients; signal: AbortSignal };

export type { Vault, NetworkRuleSet };

export function vaultId(azure: AzureClients, resourceGroup: string, name: string): string {
  return `/subscriptions/${azure.subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.KeyVault/vaults/${name}`;
}

export function getVault(ctx: Ctx, resourceGroup: string, name: string): Promise<Vault | undefined> {
  return azureRead(
    `read vault ${name}`,
    () => ctx.azure.keyVault.vaults.get(resourceGroup, name, { abortSignal: ctx.signal }),
    ctx.signal,
  );
}

export interface NameAvailability {
  available: boolean;
  reason?: string;
  message?: string;
}

export async function checkVaultName(ctx: Ctx, name: string): Promise<NameAvailability> {
  const result = await azureCall(
    `check whether vault name ${name} is available`,
    () =>
      ctx.azure.keyVault.vaults.checkNameAvailability(
        { name, type: 'Microsoft.KeyVault/vaults' },
        { abortSignal: ctx.signal },
      ),
    ctx.signal,
  );
  return {
    available: result.nameAvailable === true,
    ...(result.reason ? { reason: result.reason } : {}),
    ...(result.message ? { message: result.message } : {}),
  };
}

export interface DeletedVaultInfo {
  name: string;
  location: string;
  /** The resource group it was deleted from (its properties.vaultId): recovery puts it back only there. */
  resourceGroup?: string;
  tags?: Record<string, string>;
  scheduledPurgeDate?: string;
  purgeProtectionEnabled?: boolean;
}

function groupOf(vaultId: string | undefined): string | undefined {
  return /\/resourceGroups\/([^/]+)\//i.exec(vaultId ?? '')?.[1];
}

/** A soft-deleted vault of this name anywhere in the subscription (getDeleted needs its location, so list). */
export async function findDeletedVault(ctx: Ctx, name: string): Promise<DeletedVaultInfo | undefined> {
  return azureCall(
    `list soft-deleted vaults`,
    async () => {
      for await (const d of ctx.azure.keyVault.vaults.listDeleted({ abortSignal: ctx.signal })) {
        if (d.name?.toLowerCase() === name.toLowerCase()) {
          return {
            name: d.name,
            location: d.properties?.location ?? '',
            ...(groupOf(d.properties?.vaultId) ? { resourceGroup: groupOf(d.properties?.vaultId) } : {}),
            ...(d.properties?.tags ? { tags: { ...d.properties.tags } } : {}),
            ...(d.properties?.scheduledPurgeDate
              ? { scheduledPurgeDate: new Date(d.properties.scheduledPurgeDate).toISOString() }
              : {}),
            ...(d.properties?.purgeProtectionEnabled !== undefined
              ? { purgeProtectionEnabled: d.properties.purgeProtectionEnabled }
              : {}),
          };
        }
      }
      return undefined;
    },
    ctx.signal,
  );
}

export function putVault(
  ctx: Ctx,
  resourceGroup: string,
  name: string,
  location: string,
  tags: Record<string, string>,
  properties: VaultProperties,
): Promise<Vault> {
  const verb = properties.createMode === 'recover' ? 'recover' : 'create';
  return azureCall(
    `${verb} vault ${name}`,
    async () =>
      ctx.azure.keyVault.vaults.createOrUpdate(
        resourceGroup,
        name,
        { location, tags, properties },
        { abortSignal: ctx.signal, updateIntervalInMs: ctx.azure.lro.updateIntervalInMs },
      ),
    ctx.signal,
  );
}

/** PATCH only the given properties: nothing else on the vault is sent, so nothing else changes. */
export function patchVault(
  ctx: Ctx,
  resourceGroup: string,
  name: string,
  properties: { networkAcls?: NetworkRuleSet; publicNetworkAccess?: string },
  what: string,
): Promise<Vault> {
  return azureCall(
    `update ${what} of vault ${name}`,
    () => ctx.azure.keyVault.vaults.update(resourceGroup, name, { properties }, { abortSignal: ctx.signal }),
    ctx.signal,
  );
}

export function addAccessPolicy(
  ctx: Ctx,
  resourceGroup: string,
  name: string,
  entry: AccessPolicyEntry,
): Promise<unknown> {
  return azureCall(
    `add an access policy to vault ${name}`,
    () =>
      ctx.azure.keyVault.vaults.updateAccessPolicy(
        resourceGroup,
        name,
        'add',
        { properties: { accessPolicies: [entry] } },
        { abortSignal: ctx.signal },
      ),
    ctx.signal,
  );
}
