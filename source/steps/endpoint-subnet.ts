/** azure: the subnet that holds the vault's private endpoint; created when missing, after the address checks. */
import { defineStep } from './step-context.js';
import { blocked, fromChanges, noOp } from '../kernel/plan.js';
import { UserError } from '../kernel/errors.js';
import { createSubnet, getSubnet, resendSubnet } from '../azure/network.js';
import { overlappingPairs, within } from '../domain/cidr.js';
import { endpointSubnetName, endpointVnet } from './topology.js';
import { recordInLedger } from '../domain/ledger.js';
import { lastOperationFailed, provisioningStateOf, repairChange, requireProvisioned } from './provisioning-state.js';

export const endpointSubnetStep = defineStep<'config' | 'azure' | 'signal' | 'addFinalizer'>({
  id: 'endpoint-subnet',
  title: 'Private endpoint subnet',
  dependsOn: [],
  appliesTo: (config) => config.target === 'azure',
  async plan(ctx) {
    const vnet = await endpointVnet(ctx);
    const name = endpointSubnetName(ctx.config);
    const subnets = (vnet.vnet.subnets ?? []).map((s) => ({
      name: s.name ?? '',
      prefixes: s.addressPrefixes ?? (s.addressPrefix ? [s.addressPrefix] : []),
      failed: lastOperationFailed(s),
      state: provisioningStateOf(s),
    }));
    // The stamp holds whether a subnet failed, not its exact state: an operation still running when
    // a cancelled run stopped may finish between plan and apply without making the plan stale.
    const observed = {
      vnet: vnet.id.toLowerCase(),
      space: vnet.prefixes,
      subnets: subnets.map(({ state: _state, ...rest }) => rest),
    };
    const existing = subnets.find((s) => s.name.toLowerCase() === name.toLowerCase());
    const label = `subnet ${vnet.ref.name}/${name}`;
    if (existing?.failed) return fromChanges(observed, [repairChange(label, { provisioningState: existing.state })]);
    if (existing)
      return noOp(observed, [{ mark: '=', resource: label, reason: `exists (${existing.prefixes.join(', ')})` }]);
    const prefix = ctx.config.network?.privateEndpoint?.addressPrefix;
    if (!prefix)
      return blocked(
        observed,
        `Subnet ${name} doesn't exist in VNet ${vnet.ref.name}, and no address range is given to create it.`,
        'Set network.privateEndpoint.addressPrefix, e.g. a free /27 inside the VNet.',
      );
    if (!vnet.prefixes.some((space) => within(prefix, space))) {
      return blocked(
        observed,
        `Subnet range ${prefix} isn't inside VNet ${vnet.ref.name} (${vnet.prefixes.join(', ')}).`,
        `Choose network.privateEndpoint.addressPrefix inside ${vnet.prefixes.join(' or ')}.`,
      );
    }
    const clash = overlappingPairs(
      [prefix],
      subnets.flatMap((s) => s.prefixes.map((p) => `${p}`)),
    );
    if (clash.length > 0) {
      const other = subnets.find((s) => s.prefixes.includes(clash[0]![1]));
      return blocked(
        observed,
        `Subnet range ${prefix} overlaps subnet ${other?.name} (${clash[0]![1]}) in VNet ${vnet.ref.name}.`,
        'Choose a free network.privateEndpoint.addressPrefix.',
      );
    }
    return fromChanges(observed, [
      { mark: '+', resource: label, to: prefix, reason: 'missing; the private endpoint goes here' },
    ]);
  },
  async apply(ctx) {
    const vnet = await endpointVnet(ctx);
    const name = endpointSubnetName(ctx.config);
    const current = await getSubnet(ctx, vnet.ref, name);
    // Planned as a repair: the subnet is there (maybe not one this tool made), so send it back as it is.
    if (current && lastOperationFailed(current)) {
      await resendSubnet(ctx, vnet.ref, { ...current, name: current.name ?? name });
      return;
    }
    const prefix = ctx.config.network?.privateEndpoint?.addressPrefix;
    if (!prefix) throw new UserError('network.privateEndpoint.addressPrefix is needed to create the subnet.');
    // Subnets can't carry tags: the vault's ledger says uninstall may remove this one.
    const claim = () => recordInLedger(ctx, { kind: 'subnet', vnet: vnet.ref, subnet: name, prefix });
    try {
      await createSubnet(ctx, vnet.ref, name, prefix);
    } catch (error) {
      // An operation that ends Failed still leaves the subnet behind: claim it now, because the
      // re-run that repairs it finds it existing and wouldn't know this tool made it.
      if (await getSubnet(ctx, vnet.ref, name).catch(() => undefined)) claim();
      throw error;
    }
    claim();
  },
  async verify(ctx) {
    const vnet = await endpointVnet(ctx);
    const name = endpointSubnetName(ctx.config);
    const subnet = await getSubnet(ctx, vnet.ref, name);
    if (!subnet)
      throw new UserError(
        `Subnet ${vnet.ref.name}/${name} doesn't exist after creating it.`,
        'Run the same command again.',
      );
    requireProvisioned(`Subnet ${vnet.ref.name}/${name}`, subnet);
    return `Subnet ${vnet.ref.name}/${name} ready (${subnet.addressPrefix ?? subnet.addressPrefixes?.join(', ')})`;
  },
});
