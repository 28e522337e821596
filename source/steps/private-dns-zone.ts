/** azure: the private DNS zone privatelink.vaultcore.azure.net (location global) in the preset's resource group. */
import { defineStep } from '../engine/step.js';
import { fromChanges, noOp } from '../engine/plan.js';
import { UserError } from '../engine/errors.js';
import { MANAGED_BY_TAG } from '../engine/setup-config.js';
import { createZone, getZone, VAULT_PRIVATE_ZONE } from '../azure/private-dns.js';

export const privateDnsZoneStep = defineStep<'config' | 'azure' | 'signal'>({
  id: 'private-dns-zone',
  title: 'Private DNS zone',
  dependsOn: ['resource-group'],
  appliesTo: (config) => config.target === 'azure',
  async plan(ctx) {
    const zone = await getZone(ctx, ctx.config.azure.resourceGroup);
    const label = `private DNS zone ${VAULT_PRIVATE_ZONE}`;
    if (zone) return noOp({ id: zone.id?.toLowerCase() }, [{ mark: '=', resource: label, reason: 'exists' }]);
    return fromChanges({ absent: true }, [{ mark: '+', resource: label, to: 'global', reason: 'resolves the vault name to the private endpoint inside linked VNets' }]);
  },
  async apply(ctx) {
    await createZone(ctx, ctx.config.azure.resourceGroup, { ...MANAGED_BY_TAG });
  },
  async verify(ctx) {
    if (!(await getZone(ctx, ctx.config.azure.resourceGroup))) throw new UserError(`Private DNS zone ${VAULT_PRIVATE_ZONE} doesn't exist after creating it.`, 'Run the same command again.');
    return `Private DNS zone ${VAULT_PRIVATE_ZONE} ready`;
  },
});
