/**
 * Names and inputs: vault name rules, IP rules, address-space overlap between the AKS VNet,
 * the endpoint VNet and their existing peerings (VnetAddressSpaceOverlapsWithAlreadyPeeredVnet,
 * user-pain-points #10), and whether the vault name is free or soft-deleted (#18).
 */
import type { VirtualNetwork } from '@azure/arm-network';
import { allowedIpProblem } from '../config/allowed-ips.js';
import { vaultNameProblems, suggestVaultName } from '../config/vault-name.js';
import { getVnet, parseRef } from '../azure/network.js';
import { checkVaultName, findDeletedVault, getVault } from '../azure/vaults.js';
import { cidrContains, cidrsOverlap } from './ip.js';
import { fail, pass, skip, type Check, type CheckContext } from './types.js';

function overlaps(a: readonly string[], b: readonly string[]): [string, string] | undefined {
  for (const x of a) for (const y of b) if (cidrsOverlap(x, y)) return [x, y];
  return undefined;
}

/** Address spaces of the VNets already peered with `vnet` (other than `except`). */
async function peeredSpaces(ctx: CheckContext, vnet: VirtualNetwork, except: string): Promise<{ name: string; prefixes: string[] }[]> {
  const out: { name: string; prefixes: string[] }[] = [];
  for (const peering of vnet.virtualNetworkPeerings ?? []) {
    const remoteId = peering.remoteVirtualNetwork?.id ?? '';
    if (!remoteId || remoteId.toLowerCase() === except.toLowerCase()) continue;
    let prefixes = peering.remoteAddressSpace?.addressPrefixes ?? [];
    if (prefixes.length === 0 && ctx.azure) {
      const remote = await getVnet({ azure: ctx.azure, signal: ctx.signal }, parseRef(remoteId, ''));
      prefixes = remote?.addressSpace?.addressPrefixes ?? [];
    }
    out.push({ name: remoteId.split('/').pop() ?? remoteId, prefixes });
  }
  return out;
}

export const inputChecks: readonly Check[] = [
  {
    id: 'inputs.names',
    category: 'inputs',
    phase: 'preflight',
    description: 'names and IP rules are valid',
    severity: 'fatal',
    hint: (ctx) => {
      const suggestion = suggestVaultName(ctx.config.vault.name);
      return `Fix the named fields in the preset${suggestion && suggestion !== ctx.config.vault.name ? ` (for example vault.name: ${suggestion})` : ''}.`;
    },
    async run(ctx) {
      const problems = vaultNameProblems(ctx.config.vault.name).map((p) => `vault.name ${p}`);
      if (ctx.config.target === 'other-cloud') {
        for (const ip of ctx.config.network?.allowedIps ?? []) {
          const problem = allowedIpProblem(ip);
          if (problem) problems.push(`network.allowedIps entry ${ip} ${problem}`);
        }
      }
      return problems.length > 0 ? fail(`${problems.join('; ')}.`) : pass();
    },
  },
  {
    id: 'inputs.address-space',
    category: 'inputs',
    phase: 'preflight',
    description: "VNet address spaces don't overlap",
    severity: 'fatal',
    hint: 'Put the private endpoint in a VNet whose address space overlaps neither the AKS VNet nor the VNets already peered with either (network.privateEndpoint.vnet), or change network.privateEndpoint.addressPrefix.',
    async run(ctx, facts) {
      const pe = ctx.config.network?.privateEndpoint;
      if (ctx.config.target !== 'azure' || !pe) return skip('the target has no private endpoint');
      if (!ctx.azure) return skip('no Azure connection in this run');
      const ref = parseRef(pe.vnet, pe.resourceGroup ?? ctx.config.azure.resourceGroup);
      const vnet = await getVnet({ azure: ctx.azure, signal: ctx.signal }, ref);
      if (!vnet?.id) return fail(`VNet ${ref.name} doesn't exist in resource group ${ref.resourceGroup}.`, { hint: `Create it, or set network.privateEndpoint.vnet to an existing VNet (az network vnet list -g ${ref.resourceGroup} -o table).` });
      const prefixes = vnet.addressSpace?.addressPrefixes ?? [];
      const endpointVnet = { name: ref.name, resourceGroup: ref.resourceGroup, id: vnet.id, addressPrefixes: prefixes };
      const problems: string[] = [];
      if (pe.addressPrefix && !(vnet.subnets ?? []).some((s) => s.name === pe.subnet)) {
        if (!prefixes.some((p) => cidrContains(p, pe.addressPrefix!))) {
          problems.push(`subnet prefix ${pe.addressPrefix} isn't inside VNet ${ref.name} (${prefixes.join(', ')})`);
        }
        const clash = (vnet.subnets ?? []).find((s) => s.addressPrefix && cidrsOverlap(s.addressPrefix, pe.addressPrefix!));
        if (clash) problems.push(`subnet prefix ${pe.addressPrefix} overlaps subnet ${clash.name} (${clash.addressPrefix})`);
      }
      const aks = facts.aksVnet;
      if (aks && aks.id.toLowerCase() !== vnet.id.toLowerCase()) {
        const direct = overlaps(aks.addressPrefixes, prefixes);
        if (direct) problems.push(`AKS VNet ${aks.name} (${direct[0]}) overlaps VNet ${ref.name} (${direct[1]}), so they can't be peered`);
        for (const peer of await peeredSpaces(ctx, vnet, aks.id)) {
          const o = overlaps(aks.addressPrefixes, peer.prefixes);
          if (o) problems.push(`AKS VNet ${aks.name} (${o[0]}) overlaps ${peer.name} (${o[1]}), already peered with ${ref.name}`);
        }
        const aksVnet = await getVnet({ azure: ctx.azure, signal: ctx.signal }, { resourceGroup: aks.resourceGroup ?? ctx.config.azure.resourceGroup, name: aks.name });
        for (const peer of aksVnet ? await peeredSpaces(ctx, aksVnet, vnet.id) : []) {
          const o = overlaps(prefixes, peer.prefixes);
          if (o) problems.push(`VNet ${ref.name} (${o[0]}) overlaps ${peer.name} (${o[1]}), already peered with ${aks.name}`);
        }
      }
      if (problems.length > 0) return fail(`${problems.join('; ')}.`, { facts: { endpointVnet } });
      return pass(aks && aks.name !== ref.name ? `${aks.name} and ${ref.name} can be peered` : undefined, { endpointVnet });
    },
  },
  {
    id: 'inputs.vault-name',
    category: 'inputs',
    phase: 'preflight',
    description: 'the vault name is usable',
    severity: 'fatal',
    hint: (ctx) => `Pick another vault.name (names are global), or recover the soft-deleted vault with vault.recover: true (az keyvault recover --name ${ctx.config.vault.name}).`,
    async run(ctx) {
      if (!ctx.azure) return skip('no Azure connection in this run');
      const { name, create } = ctx.config.vault;
      const rg = ctx.config.azure.resourceGroup;
      const inner = { azure: ctx.azure, signal: ctx.signal };
      const existing = await getVault(inner, rg, name);
      if (existing) return pass(`vault ${name} exists in ${rg} and is reused`);
      const deleted = await findDeletedVault(inner, name);
      if (deleted) {
        if (ctx.config.vault.recover) return pass(`soft-deleted vault ${name} is recovered`);
        return fail(`Vault ${name} is soft-deleted (purge scheduled ${deleted.scheduledPurgeDate ?? 'later'}), so its name can't be reused until it's recovered or purged.`, {
          hint: `Set vault.recover: true to recover it, or pick another vault.name${deleted.purgeProtectionEnabled ? ' (purge protection is on, so it can\'t be purged)' : `, or purge it: az keyvault purge --name ${name}`}.`,
        });
      }
      if (create === false) return fail(`Vault ${name} doesn't exist in resource group ${rg}, and vault.create is false.`, { hint: `Set vault.create: true, or fix vault.name / azure.resourceGroup.` });
      const availability = await checkVaultName(inner, name);
      if (!availability.available) return fail(`Vault name ${name} isn't available: ${availability.message ?? availability.reason ?? 'it is taken'}.`, { hint: 'Pick another vault.name: vault names are global across Azure.' });
      return pass(`${name} is available`);
    },
  },
];
