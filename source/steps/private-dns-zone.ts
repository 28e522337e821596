/** azure: the private DNS zone privatelink.vaultcore.azure.net (location global) in the preset's resource group. */
import { defineStep } from './step-context.js';
import { fromChanges, noOp } from '../kernel/plan.js';
import { UserError } from '../kernel/errors.js';
import { MANAGED_BY_TAG } from '../domain/ownership.js';
import { createZone, getZone, VAULT_PRIVATE_ZONE } from '../azure/private-dns.js';
import { lastOperationFailed, repairChange, requireProvisioned } from './provisioning-state.js';

export const privateDnsZoneStep = defineStep<'config' | 'azure' | 'signal'>({
  id: 'private-dns-zone',
  title: 'Private DNS zone',
  dependsOn: ['resource-group'],
  appliesTo: (config) => config.target === 'azure',
  async plan(ctx) {
    const zone = await getZone(ctx, ctx.config.azure.resourceGroup);
    const label = `private DNS zone ${VAULT_PRIVATE_ZONE}`;
    const observed = { id: zone?.id?.toLowerCase(), failed: lastOperationFailed(zone) };
    if (zone && lastOperationFailed(zone)) return fromChanges(observed, [repairChange(label, zone)]);
    if (zone) return noOp(observed, [{ mark: '=', resource: label, reason: 'exists' }]);
    return fromChanges({ absent: true }, [{ mark: '+', resource: label, to: 'global', reason: 'resolves the vault name to the private endpoint inside linked VNets' }]);
  },
  async apply(ctx) {
    // A repair keeps the zone's own tags: a zone someone else made must not become one uninstall removes.
    const existing = await getZone(ctx, ctx.config.azure.resourceGroup);
    await createZone(ctx, ctx.config.azure.resourceGroup, existing ? { ...existing.tags } : { ...MANAGED_BY_TAG });
  },
  async verify(ctx) {
    const zone = await getZone(ctx, ctx.config.azure.resourceGroup);
    if (!zone) throw new UserError(`Private DNS zone ${VAULT_PRIVATE_ZONE} doesn't exist after creating it.`, 'Run the same command again.');
    requireProvisioned(`Private DNS zone ${VAULT_PRIVATE_ZONE}`, zone);
    return `Private DNS zone ${VAULT_PRIVATE_ZONE} ready`;
  },
});
