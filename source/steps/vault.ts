/**
 * The vault: create it (name checked first, soft-deleted names detected), recover a soft-deleted
 * one when the preset asks, or verify an existing one and report drift. Never deletes or purges.
 */
import { defineStep } from './step-context.js';
import { blocked, fromChanges, noOp } from '../kernel/plan.js';
import { permissionModel, vaultGroup, type SetupConfig } from '../config/setup-config.js';
import { MANAGED_BY_TAG } from '../domain/ownership.js';
import { UserError } from '../kernel/errors.js';
import { checkVaultName, findDeletedVault, getVault, putVault, type Vault } from '../azure/vaults.js';
import type { Change } from '../kernel/step.js';
import { lastOperationFailed, repairChange, requireProvisioned } from './provisioning-state.js';

function driftOf(vault: Vault, config: SetupConfig): { changes: Change[]; modelMismatch?: string } {
  const name = `vault ${vault.name}`;
  const wantsRbac = permissionModel(config) === 'rbac';
  const isRbac = vault.properties.enableRbacAuthorization === true;
  const changes: Change[] = [
    {
      mark: '=',
      resource: name,
      reason: `exists in ${vault.location}, permission model ${isRbac ? 'rbac' : 'access-policy'}`,
    },
  ];
  if (config.vault.purgeProtection && !vault.properties.enablePurgeProtection) {
    changes.push({
      mark: '=',
      resource: name,
      field: 'enablePurgeProtection',
      from: 'false',
      to: 'true',
      reason: 'drift, left as is: purge protection is irreversible, turn it on yourself if you want it',
    });
  }
  if (vault.location && vault.location.toLowerCase() !== config.azure.location.toLowerCase()) {
    changes.push({
      mark: '=',
      resource: name,
      field: 'location',
      from: vault.location,
      to: config.azure.location,
      reason: 'drift, left as is: a vault cannot move',
    });
  }
  const modelMismatch =
    wantsRbac === isRbac
      ? undefined
      : `Vault ${vault.name} uses the ${isRbac ? 'rbac' : 'access-policy'} permission model, but the preset says ${permissionModel(config)}.`;
  return { changes, ...(modelMismatch ? { modelMismatch } : {}) };
}

function observedVault(vault: Vault): unknown {
  const p = vault.properties;
  // Whether the last operation failed, not the exact state: an operation a cancelled run left
  // running may finish between plan and apply, which must not make the plan stale.
  return {
    id: vault.id?.toLowerCase(),
    rbac: p.enableRbacAuthorization ?? null,
    purge: p.enablePurgeProtection ?? null,
    location: vault.location,
    failed: lastOperationFailed(vault),
  };
}

export const vaultStep = defineStep<'config' | 'azure' | 'signal'>({
  id: 'vault',
  title: 'Key Vault',
  dependsOn: ['resource-group'],
  appliesTo: () => true,
  async plan(ctx) {
    const { name } = ctx.config.vault;
    const vault = await getVault(ctx, vaultGroup(ctx.config), name);
    if (vault) {
      if (lastOperationFailed(vault)) {
        // A create that ended Failed leaves the vault in that state; ARM repairs a resource
        // when the same PUT is sent again, so a re-run converges instead of calling it done.
        return fromChanges(observedVault(vault), [repairChange(`vault ${name}`, vault)]);
      }
      const drift = driftOf(vault, ctx.config);
      if (drift.modelMismatch)
        return blocked(
          observedVault(vault),
          drift.modelMismatch,
          `Set vault.permissionModel: ${vault.properties.enableRbacAuthorization ? 'rbac' : 'access-policy'} in the preset; the tool never switches a vault's model, because that invalidates its access.`,
        );
      return noOp(observedVault(vault), drift.changes);
    }
    if (ctx.config.vault.create === false) {
      return blocked(
        { absent: name },
        `Vault ${name} doesn't exist in resource group ${vaultGroup(ctx.config)}.`,
        'Set vault.create: true to create it, or fix vault.name and azure.resourceGroup.',
      );
    }
    const deleted = await findDeletedVault(ctx, name);
    if (deleted) {
      const observed = {
        absent: name,
        deleted: deleted.name,
        location: deleted.location,
        group: deleted.resourceGroup ?? null,
      };
      if (ctx.config.vault.recover) {
        // Azure recovers a vault only into the resource group it was deleted from.
        const home = deleted.resourceGroup ?? vaultGroup(ctx.config);
        if (home.toLowerCase() !== vaultGroup(ctx.config).toLowerCase()) {
          return blocked(
            observed,
            `Soft-deleted vault ${name} was deleted from resource group ${home}, and Azure recovers it only there, not into ${vaultGroup(ctx.config)}.`,
            `Set vault.resourceGroup: ${home} in the preset, so the run recovers it there and uses it there.`,
          );
        }
        return fromChanges(observed, [
          {
            mark: '+',
            resource: `vault ${name}`,
            field: 'createMode',
            to: 'recover',
            reason: `recover the soft-deleted vault into resource group ${home} (where it was deleted from, ${deleted.location}) with its secrets and its own tags; it stays someone else's, so uninstall never deletes it`,
          },
        ]);
      }
      return blocked(
        observed,
        `Vault name ${name} belongs to a soft-deleted vault${deleted.scheduledPurgeDate ? ` (purged on ${deleted.scheduledPurgeDate.slice(0, 10)})` : ''}, so it isn't available.`,
        'Recover it (set vault.recover: true), or choose a different vault.name.',
      );
    }
    const availability = await checkVaultName(ctx, name);
    if (!availability.available) {
      return blocked(
        { absent: name, available: false, reason: availability.reason ?? null },
        `Vault name ${name} isn't available: ${availability.message ?? availability.reason ?? 'taken'}.`,
        'Vault names are global across Azure: choose a different vault.name.',
      );
    }
    const model = permissionModel(ctx.config);
    return fromChanges({ absent: name, available: true }, [
      {
        mark: '+',
        resource: `vault ${name}`,
        to: ctx.config.azure.location,
        reason: `create it: permission model ${model}, purge protection ${ctx.config.vault.purgeProtection === false ? 'off' : 'on'}`,
      },
    ]);
  },
  async apply(ctx, planned) {
    const { vault: v, azure } = ctx.config;
    const tenantId = azure.tenantId ?? ctx.azure.tenantId;
    const sku = { family: 'A', name: 'standard' } as const;
    if (planned.changes.some((c) => c.field === 'createMode' && c.to === 'recover')) {
      const deleted = await findDeletedVault(ctx, v.name);
      if (!deleted)
        throw new UserError(`Vault ${v.name} is no longer soft-deleted, so it can't be recovered.`, 'Run plan again.');
      // Its own tags, and no ownership tag: a recovered vault was made by someone else.
      await putVault(
        ctx,
        deleted.resourceGroup ?? vaultGroup(ctx.config),
        v.name,
        deleted.location,
        { ...deleted.tags },
        { tenantId, sku, createMode: 'recover' },
      );
      return;
    }
    await putVault(
      ctx,
      vaultGroup(ctx.config),
      v.name,
      azure.location,
      { ...MANAGED_BY_TAG },
      {
        tenantId,
        sku,
        createMode: 'default',
        // Explicit: api 2026-02-01 defaults new vaults to RBAC, older ones to access policies.
        enableRbacAuthorization: permissionModel(ctx.config) === 'rbac',
        accessPolicies: [],
        enableSoftDelete: true,
        ...(v.softDeleteRetentionDays ? { softDeleteRetentionInDays: v.softDeleteRetentionDays } : {}),
        // Purge protection can only be switched on; sending false is rejected, so leave it unset.
        ...(v.purgeProtection !== false ? { enablePurgeProtection: true } : {}),
      },
    );
  },
  async verify(ctx) {
    const { name } = ctx.config.vault;
    const vault = await getVault(ctx, vaultGroup(ctx.config), name);
    if (!vault) throw new UserError(`Vault ${name} doesn't exist after creating it.`, 'Run the same command again.');
    requireProvisioned(`Vault ${name}`, vault);
    const drift = driftOf(vault, ctx.config);
    if (drift.modelMismatch) throw new UserError(drift.modelMismatch);
    return `Vault ${name} ready (${vault.properties.enableRbacAuthorization ? 'rbac' : 'access-policy'})`;
  },
});
