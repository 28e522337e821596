/**
 * Address-space overlap: Azure refuses to peer the endpoint VNet with
 * the AKS VNet when their address spaces overlap, or when either overlaps a VNet the other is
 * already peered with (VnetAddressSpaceOverlapsWithAlreadyPeeredVnet), and when the endpoint
 * VNet overlaps the cluster's service or pod range. Judged before any
 * change, with a fix that names a free address space rather than "pick another one".
 */
import type { VirtualNetwork } from '@azure/arm-network';
import { getVnet, parseRef } from '../azure/network.js';
import { freeRange, overlappingPairs, overlaps, within } from '../domain/cidr.js';
import { getCluster } from '../azure/aks.js';
import { fail, pass, skip, type Check, type CheckContext } from './types.js';

function firstOverlap(a: readonly string[], b: readonly string[]): [string, string] | undefined {
  return overlappingPairs(a, b)[0];
}

/** Address spaces of the VNets already peered with `vnet` (other than `except`). */
async function peeredSpaces(
  ctx: CheckContext,
  vnet: VirtualNetwork,
  except: string,
): Promise<{ name: string; prefixes: string[] }[]> {
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

/** The AKS cluster's service CIDRs and, on overlay clusters, pod CIDRs (they can't change after creation). */
async function clusterRanges(ctx: CheckContext): Promise<{ label: string; cidr: string }[]> {
  const aks = ctx.config.cluster?.aks;
  if (!aks || !ctx.azure) return [];
  const cluster = await getCluster({ azure: ctx.azure, signal: ctx.signal }, aks.resourceGroup, aks.name);
  const net = cluster?.networkProfile;
  const services = net?.serviceCidrs ?? (net?.serviceCidr ? [net.serviceCidr] : []);
  const pods = net?.podCidrs ?? (net?.podCidr ? [net.podCidr] : []);
  return [
    ...services.map((cidr) => ({ label: 'service range', cidr })),
    ...pods.map((cidr) => ({ label: 'pod range', cidr })),
  ];
}

/** A VNet that can be peered with the AKS VNet: outside every address space seen on either side. */
function newVnetFix(ctx: CheckContext, taken: readonly string[]): string {
  const rg = ctx.config.azure.resourceGroup;
  const space = freeRange(taken);
  const name = `${ctx.config.vault.name}-vnet`;
  if (!space)
    return `Set network.privateEndpoint.vnet to a VNet whose address space overlaps none of ${taken.join(', ')}.`;
  const subnet = space.replace(/\.0\.0\/16$/, '.1.0/24');
  return `Create a VNet outside ${taken.join(', ')}: az network vnet create --resource-group ${rg} --name ${name} --address-prefixes ${space} --location ${ctx.config.azure.location}, then set network.privateEndpoint.vnet: ${name} and network.privateEndpoint.addressPrefix: ${subnet}`;
}

export const addressSpaceCheck: Check = {
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
    const inner = { azure: ctx.azure, signal: ctx.signal };
    const ref = parseRef(pe.vnet, pe.resourceGroup ?? ctx.config.azure.resourceGroup);
    const vnet = await getVnet(inner, ref);
    if (!vnet?.id)
      return fail(`VNet ${ref.name} doesn't exist in resource group ${ref.resourceGroup}.`, {
        hint: `Create it, or set network.privateEndpoint.vnet to an existing VNet (az network vnet list -g ${ref.resourceGroup} -o table).`,
      });
    const prefixes = vnet.addressSpace?.addressPrefixes ?? [];
    const endpointVnet = { name: ref.name, resourceGroup: ref.resourceGroup, id: vnet.id, addressPrefixes: prefixes };
    const subnetProblems: string[] = [];
    if (pe.addressPrefix && !(vnet.subnets ?? []).some((s) => s.name === pe.subnet)) {
      if (!prefixes.some((p) => within(pe.addressPrefix!, p))) {
        subnetProblems.push(`subnet prefix ${pe.addressPrefix} isn't inside VNet ${ref.name} (${prefixes.join(', ')})`);
      }
      const clash = (vnet.subnets ?? []).find((s) => s.addressPrefix && overlaps(s.addressPrefix, pe.addressPrefix!));
      if (clash)
        subnetProblems.push(`subnet prefix ${pe.addressPrefix} overlaps subnet ${clash.name} (${clash.addressPrefix})`);
    }
    const peerProblems: string[] = [];
    const taken = new Set<string>();
    const aks = facts.aksVnet;
    if (aks && aks.id.toLowerCase() !== vnet.id.toLowerCase()) {
      aks.addressPrefixes.forEach((p) => taken.add(p));
      const direct = firstOverlap(aks.addressPrefixes, prefixes);
      if (direct)
        peerProblems.push(
          `AKS VNet ${aks.name} (${direct[0]}) overlaps VNet ${ref.name} (${direct[1]}), so they can't be peered`,
        );
      for (const peer of await peeredSpaces(ctx, vnet, aks.id)) {
        const o = firstOverlap(aks.addressPrefixes, peer.prefixes);
        if (o)
          peerProblems.push(
            `AKS VNet ${aks.name} (${o[0]}) overlaps ${peer.name} (${o[1]}), already peered with ${ref.name}`,
          );
      }
      const aksVnet = await getVnet(inner, {
        resourceGroup: aks.resourceGroup ?? ctx.config.azure.resourceGroup,
        name: aks.name,
      });
      for (const peer of aksVnet ? await peeredSpaces(ctx, aksVnet, vnet.id) : []) {
        peer.prefixes.forEach((p) => taken.add(p));
        const o = firstOverlap(prefixes, peer.prefixes);
        if (o)
          peerProblems.push(
            `VNet ${ref.name} (${o[0]}) overlaps ${peer.name} (${o[1]}), already peered with ${aks.name}`,
          );
      }
    }
    // The cluster's own service and pod ranges: traffic to an endpoint inside them never leaves the cluster.
    for (const range of await clusterRanges(ctx)) {
      taken.add(range.cidr);
      const o = firstOverlap(prefixes, [range.cidr]);
      if (o)
        peerProblems.push(
          `VNet ${ref.name} (${o[0]}) overlaps the AKS cluster's ${range.label} ${range.cidr}, so the cluster can't reach the endpoint there`,
        );
    }
    const problems = [...peerProblems, ...subnetProblems];
    if (problems.length === 0)
      return pass(aks && aks.name !== ref.name ? `${aks.name} and ${ref.name} can be peered` : undefined, {
        endpointVnet,
      });
    // An overlap needs another VNet; a subnet problem alone only another prefix (the generic hint).
    const hint = peerProblems.length > 0 ? newVnetFix(ctx, [...taken, ...prefixes]) : undefined;
    return fail(`${problems.join('; ')}.`, { facts: { endpointVnet }, ...(hint ? { hint } : {}) });
  },
};
