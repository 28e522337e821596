/** azure: the private DNS zone privatelink.vaultcore.azure.net (location global) in the preset's resource group. */
import { defineStep } from './step-context.js';
import { blocked, fromChanges, noOp } from '../kernel/plan.js';
import { UserError } from '../kernel/errors.js';
import { MANAGED_BY_TAG } from '../domain/ownership.js';
import { createZone, getZone, getZoneAt, VAULT_PRIVATE_ZONE } from '../azure/private-dns.js';
import { vaultZone, zoneLabel } from './vault-zone.js';
import { lastOperationFailed, repairChange, requireProvisioned } from './provisioning-state.js';

export const privateDnsZoneStep = defineStep<'config' | 'azure' | 'signal'>({
  id: 'private-dns-zone',
  title: 'Private DNS zone',
  // Reads the AKS cluster to find a zone already linked to its VNet.
  dependsOn: ['resource-group'],
  appliesTo: (config) => config.target === 'azure',
  async plan(ctx) {
    const target = await vaultZone(ctx);
    if (target.shared) {
      const found = await getZoneAt(ctx, target.ref);
      if (!found)
        return blocked(
          { zone: target.ref.id.toLowerCase() },
          `Private DNS zone ${target.ref.id} doesn't exist.`,
          'Fix network.privateEndpoint.dnsZone, or set it to create.',
        );
      return noOp({ zone: target.ref.id.toLowerCase() }, [
        {
          mark: '=',
          resource: `private DNS zone ${zoneLabel(target)}`,
          reason: `used as it is (${target.why}): no new zone, no second link`,
        },
      ]);
    }
    const zone = await getZone(ctx, ctx.config.azure.resourceGroup);
    const label = `private DNS zone ${VAULT_PRIVATE_ZONE}`;
    const observed = { id: zone?.id?.toLowerCase(), failed: lastOperationFailed(zone) };
    if (zone && lastOperationFailed(zone)) return fromChanges(observed, [repairChange(label, zone)]);
    if (zone) return noOp(observed, [{ mark: '=', resource: label, reason: 'exists' }]);
    return fromChanges({ absent: true }, [
      {
        mark: '+',
        resource: label,
        to: 'global',
        reason: 'resolves the vault name to the private endpoint inside linked VNets',
      },
    ]);
  },
  async apply(ctx) {
    if ((await vaultZone(ctx)).shared) return;
    // A repair keeps the zone's own tags: a zone someone else made must not become one uninstall removes.
    const existing = await getZone(ctx, ctx.config.azure.resourceGroup);
    await createZone(ctx, ctx.config.azure.resourceGroup, existing ? { ...existing.tags } : { ...MANAGED_BY_TAG });
  },
  async verify(ctx) {
    const target = await vaultZone(ctx);
    if (target.shared) {
      if (!(await getZoneAt(ctx, target.ref)))
        throw new UserError(`Private DNS zone ${target.ref.id} doesn't exist.`, 'Fix network.privateEndpoint.dnsZone.');
      return `Private DNS zone ${zoneLabel(target)} used (${target.why})`;
    }
    const zone = await getZone(ctx, ctx.config.azure.resourceGroup);
    if (!zone)
      throw new UserError(
        `Private DNS zone ${VAULT_PRIVATE_ZONE} doesn't exist after creating it.`,
        'Run the same command again.',
      );
    requireProvisioned(`Private DNS zone ${VAULT_PRIVATE_ZONE}`, zone);
    return `Private DNS zone ${VAULT_PRIVATE_ZONE} ready`;
  },
});
