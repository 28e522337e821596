/**
 * azure: link the private zone to the AKS VNet (whose pods resolve the vault) and to the
 * endpoint's VNet. Without the link, DNS in that VNet returns the vault's public address.
 */
import { defineStep } from './step-context.js';
import { fromChanges } from '../kernel/plan.js';
import { UserError } from '../kernel/errors.js';
import { MANAGED_BY_TAG } from '../domain/ownership.js';
import { createLink, getZone, listLinks, VAULT_PRIVATE_ZONE, type VirtualNetworkLink } from '../azure/private-dns.js';
import { aksVnet, endpointVnet, linkName, sameVnet, type VnetInfo } from './topology.js';
import { lastOperationFailed, provisioningStateOf, repairChange, requireProvisioned } from './provisioning-state.js';
import type { Change } from '../kernel/step.js';

type Ctx = Parameters<typeof aksVnet>[0];

async function wanted(ctx: Ctx): Promise<VnetInfo[]> {
  const [aks, endpoint] = await Promise.all([aksVnet(ctx), endpointVnet(ctx)]);
  return sameVnet(aks, endpoint) ? [aks] : [aks, endpoint];
}

async function zoneLinks(ctx: Ctx): Promise<VirtualNetworkLink[]> {
  const { resourceGroup } = ctx.config.azure;
  if (!(await getZone(ctx, resourceGroup))) return [];
  return listLinks(ctx, resourceGroup);
}

/** The zone's link to `vnet`, whatever its name (a VNet can be linked to a zone only once). */
function linkTo(links: VirtualNetworkLink[], vnet: VnetInfo): VirtualNetworkLink | undefined {
  return links.find((l) => l.virtualNetwork?.id?.toLowerCase() === vnet.id.toLowerCase());
}

function observedLinks(links: VirtualNetworkLink[]): string[] {
  return links.map((l) => `${l.virtualNetwork?.id?.toLowerCase() ?? ''}:${provisioningStateOf(l) ?? ''}:${l.virtualNetworkLinkState ?? ''}`).sort();
}

export const dnsZoneLinksStep = defineStep<'config' | 'azure' | 'signal'>({
  id: 'dns-zone-links',
  title: 'DNS zone links',
  dependsOn: ['private-dns-zone'],
  appliesTo: (config) => config.target === 'azure',
  async plan(ctx) {
    const [vnets, links] = await Promise.all([wanted(ctx), zoneLinks(ctx)]);
    const changes: Change[] = vnets.map((v) => {
      const link = linkTo(links, v);
      if (!link) return { mark: '+', resource: `zone link ${linkName(v.ref.name)}`, to: v.ref.name, reason: `VNet ${v.ref.name} must resolve ${ctx.config.vault.name}.vault.azure.net to the private IP` };
      if (lastOperationFailed(link)) return repairChange(`zone link ${link.name ?? linkName(v.ref.name)}`, link);
      return { mark: '=', resource: `zone link to ${v.ref.name}`, reason: 'exists' };
    });
    return fromChanges({ linked: observedLinks(links), wanted: vnets.map((v) => v.id.toLowerCase()) }, changes);
  },
  async apply(ctx) {
    const [vnets, links] = await Promise.all([wanted(ctx), zoneLinks(ctx)]);
    const { resourceGroup } = ctx.config.azure;
    // The two links are independent: create (or repair) them at the same time.
    await Promise.all(
      vnets.map((v) => {
        const link = linkTo(links, v);
        if (!link) return createLink(ctx, resourceGroup, linkName(v.ref.name), v.id, { ...MANAGED_BY_TAG });
        // A repair re-sends the link as it is, own tags and registration setting included.
        if (lastOperationFailed(link)) return createLink(ctx, resourceGroup, link.name ?? linkName(v.ref.name), v.id, { ...link.tags }, VAULT_PRIVATE_ZONE, link.registrationEnabled ?? false);
        return undefined;
      }),
    );
  },
  async verify(ctx) {
    const [vnets, links] = await Promise.all([wanted(ctx), zoneLinks(ctx)]);
    const missing = vnets.filter((v) => !linkTo(links, v));
    if (missing.length > 0) throw new UserError(`Zone ${VAULT_PRIVATE_ZONE} isn't linked to ${missing.map((v) => v.ref.name).join(' and ')}.`, 'Run the same command again.');
    for (const v of vnets) {
      const link = linkTo(links, v)!;
      requireProvisioned(`Zone link ${link.name} (to ${v.ref.name})`, link);
      // A link resolves names only once it is Completed; InProgress means DNS in that VNet isn't private yet.
      if (link.virtualNetworkLinkState && link.virtualNetworkLinkState !== 'Completed') {
        throw new UserError(`Zone link ${link.name} (to ${v.ref.name}) is ${link.virtualNetworkLinkState}, not Completed.`, 'Run the same command again; if it stays so, check the link in the portal under the private DNS zone > Virtual network links.');
      }
    }
    return `Zone ${VAULT_PRIVATE_ZONE} linked to ${vnets.map((v) => v.ref.name).join(' and ')}`;
  },
});
