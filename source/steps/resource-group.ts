/** The resource group that holds the vault (and, on azure, the endpoint and DNS zone). Never deleted. */
import { defineStep } from './step-context.js';
import { fromChanges, noOp } from '../kernel/plan.js';
import { MANAGED_BY_TAG } from '../domain/ownership.js';
import { createResourceGroup, getResourceGroup } from '../azure/resource-groups.js';
import { UserError } from '../kernel/errors.js';

export const resourceGroupStep = defineStep<'config' | 'azure' | 'signal'>({
  id: 'resource-group',
  title: 'Resource group',
  dependsOn: [],
  appliesTo: () => true,
  async plan(ctx) {
    const { resourceGroup, location } = ctx.config.azure;
    const rg = await getResourceGroup(ctx, resourceGroup);
    const observed = rg ? { id: rg.id, location: rg.location } : { absent: resourceGroup };
    if (rg)
      return noOp(observed, [
        { mark: '=', resource: `resource group ${resourceGroup}`, reason: `exists in ${rg.location}` },
      ]);
    return fromChanges(observed, [
      { mark: '+', resource: `resource group ${resourceGroup}`, to: location, reason: 'missing; the vault needs it' },
    ]);
  },
  async apply(ctx) {
    const { resourceGroup, location } = ctx.config.azure;
    await createResourceGroup(ctx, resourceGroup, location, { ...MANAGED_BY_TAG });
  },
  async verify(ctx) {
    const { resourceGroup } = ctx.config.azure;
    const rg = await getResourceGroup(ctx, resourceGroup);
    if (!rg) throw new UserError(`Resource group ${resourceGroup} doesn't exist after creating it.`);
    return `Resource group ${resourceGroup} ready in ${rg.location}`;
  },
});
