/**
 * azure: the vault's private endpoint (groupId vault) in the endpoint subnet, in the VNet's
 * region and subscription (Azure requires both of an endpoint; the vault may be elsewhere).
 */
import { defineStep } from './step-context.js';
import { blocked, fromChanges, noOp } from '../kernel/plan.js';
import { UserError } from '../kernel/errors.js';
import { MANAGED_BY_TAG } from '../domain/ownership.js';
import { createPrivateEndpoint, getPrivateEndpoint, getSubnet, type PrivateEndpoint } from '../azure/network.js';
import { vaultId } from '../azure/vaults.js';
import { endpointPlace, endpointSubnetName, endpointVnet, privateEndpointName } from './topology.js';
import { lastOperationFailed, repairChange, requireProvisioned } from './provisioning-state.js';
import { vaultGroup } from '../config/setup-config.js';

function connection(pe: PrivateEndpoint) {
  return [...(pe.privateLinkServiceConnections ?? []), ...(pe.manualPrivateLinkServiceConnections ?? [])][0];
}

export const privateEndpointStep = defineStep<'config' | 'azure' | 'signal'>({
  id: 'private-endpoint',
  title: 'Private endpoint',
  dependsOn: ['vault', 'endpoint-subnet'],
  appliesTo: (config) => config.target === 'azure',
  async plan(ctx) {
    const place = endpointPlace(ctx.config);
    const name = privateEndpointName(ctx.config);
    const pe = await getPrivateEndpoint(ctx, place, name);
    const label = `private endpoint ${name}`;
    const wantVault = vaultId(ctx.azure, vaultGroup(ctx.config), ctx.config.vault.name).toLowerCase();
    if (pe) {
      const c = connection(pe);
      const target = c?.privateLinkServiceId?.toLowerCase();
      const observed = {
        id: pe.id?.toLowerCase(),
        target,
        groups: c?.groupIds ?? [],
        subnet: pe.subnet?.id?.toLowerCase(),
        failed: lastOperationFailed(pe),
      };
      if (target !== wantVault || !(c?.groupIds ?? []).includes('vault')) {
        return blocked(
          observed,
          `Private endpoint ${name} exists but connects to ${target ?? 'nothing'} (${(c?.groupIds ?? []).join(', ') || 'no group'}), not to vault ${ctx.config.vault.name} (vault).`,
          `Delete or rename private endpoint ${name}; the tool never changes an endpoint it didn't plan.`,
        );
      }
      if (lastOperationFailed(pe)) return fromChanges(observed, [repairChange(label, pe)]);
      return noOp(observed, [
        {
          mark: '=',
          resource: label,
          reason: `connected to vault ${ctx.config.vault.name} (${c?.privateLinkServiceConnectionState?.status ?? 'state unknown'})`,
        },
      ]);
    }
    const vnet = await endpointVnet(ctx);
    return fromChanges({ absent: name, location: vnet.vnet.location }, [
      {
        mark: '+',
        resource: label,
        to: `${vnet.ref.name}/${endpointSubnetName(ctx.config)}`,
        reason: `groupId vault, in ${vnet.vnet.location} like its VNet${place.subscriptionId ? `, in resource group ${place.resourceGroup} of the VNet's subscription ${place.subscriptionId}` : ''}`,
      },
    ]);
  },
  async apply(ctx) {
    const place = endpointPlace(ctx.config);
    const name = privateEndpointName(ctx.config);
    const vnet = await endpointVnet(ctx);
    const subnet = await getSubnet(ctx, vnet.ref, endpointSubnetName(ctx.config));
    if (!subnet?.id)
      throw new UserError(
        `Subnet ${vnet.ref.name}/${endpointSubnetName(ctx.config)} doesn't exist.`,
        'Run the same command again.',
      );
    // A repair (planned only for an endpoint already connected to this vault) keeps its own tags,
    // so an endpoint someone else made doesn't become one uninstall removes.
    const existing = await getPrivateEndpoint(ctx, place, name);
    await createPrivateEndpoint(ctx, place, name, {
      location: existing?.location ?? vnet.vnet.location ?? ctx.config.azure.location,
      subnetId: existing?.subnet?.id ?? subnet.id,
      vaultId: vaultId(ctx.azure, vaultGroup(ctx.config), ctx.config.vault.name),
      tags: existing ? { ...existing.tags } : { ...MANAGED_BY_TAG },
    });
  },
  async verify(ctx) {
    const name = privateEndpointName(ctx.config);
    const pe = await getPrivateEndpoint(ctx, endpointPlace(ctx.config), name);
    const c = pe ? connection(pe) : undefined;
    if (!pe || !c?.groupIds?.includes('vault'))
      throw new UserError(
        `Private endpoint ${name} isn't connected to the vault after creating it.`,
        'Run the same command again.',
      );
    requireProvisioned(`Private endpoint ${name}`, pe);
    const status = c.privateLinkServiceConnectionState?.status;
    if (status && status !== 'Approved')
      throw new UserError(
        `Private endpoint ${name} is ${status}, not Approved.`,
        `Approve the connection on vault ${ctx.config.vault.name} (Networking > Private endpoint connections).`,
      );
    return `Private endpoint ${name} connected (groupId vault)`;
  },
});
