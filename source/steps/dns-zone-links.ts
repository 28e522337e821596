/**
 * azure: link the private zone to the AKS VNet (whose pods resolve the vault) and, for a zone
 * of our own, to the endpoint's VNet. Without the link, DNS in that VNet returns the vault's
 * public address. A shared zone (vault-zone.ts) is linked only where the AKS VNet needs it.
 */
import { defineStep } from './step-context.js';
import { fromChanges } from '../kernel/plan.js';
import { UserError } from '../kernel/errors.js';
import { MANAGED_BY_TAG } from '../domain/ownership.js';
import { createLinkAt, getZoneAt, listLinksAt, type VirtualNetworkLink } from '../azure/private-dns.js';
import { aksVnet, endpointVnet, linkName, sameVnet, type VnetInfo } from './topology.js';
import { lastOperationFailed, provisioningStateOf, repairChange, requireProvisioned } from './provisioning-state.js';
import { vaultZone, zoneLabel, type VaultZone } from './vault-zone.js';
import type { Change } from '../kernel/step.js';

type Ctx = Parameters<typeof aksVnet>[0];

async function wanted(ctx: Ctx, zone: VaultZone): Promise<VnetInfo[]> {
  const [aks, endpoint] = await Promise.all([aksVnet(ctx), endpointVnet(ctx)]);
  // Only the AKS VNet's pods resolve the vault; someone else's zone gets no more links than that.
  return sameVnet(aks, endpoint) || zone.shared ? [aks] : [aks, endpoint];
}

async function zoneLinks(ctx: Ctx, zone: VaultZone): Promise<VirtualNetworkLink[]> {
  if (!(await getZoneAt(ctx, zone.ref))) return [];
  return listLinksAt(ctx, zone.ref);
}

/** The zone's link to `vnet`, whatever its name (a VNet can be linked to a zone only once). */
function linkTo(links: VirtualNetworkLink[], vnet: VnetInfo): VirtualNetworkLink | undefined {
  return links.find((l) => l.virtualNetwork?.id?.toLowerCase() === vnet.id.toLowerCase());
}

function observedLinks(links: VirtualNetworkLink[]): string[] {
  return links
    .map(
      (l) =>
        `${l.virtualNetwork?.id?.toLowerCase() ?? ''}:${provisioningStateOf(l) ?? ''}:${l.virtualNetworkLinkState ?? ''}`,
    )
    .sort();
}

async function current(ctx: Ctx) {
  const zone = await vaultZone(ctx);
  const [vnets, links] = await Promise.all([wanted(ctx, zone), zoneLinks(ctx, zone)]);
  return { zone, vnets, links };
}

export const dnsZoneLinksStep = defineStep<'config' | 'azure' | 'signal'>({
  id: 'dns-zone-links',
  title: 'DNS zone links',
  dependsOn: ['private-dns-zone'],
  appliesTo: (config) => config.target === 'azure',
  async plan(ctx) {
    const { zone, vnets, links } = await current(ctx);
    const changes: Change[] = vnets.map((v) => {
      const link = linkTo(links, v);
      if (!link)
        return {
          mark: '+',
          resource: `zone link ${linkName(v.ref.name)}`,
          to: v.ref.name,
          reason: `VNet ${v.ref.name} must resolve ${ctx.config.vault.name}.vault.azure.net to the private IP (zone ${zoneLabel(zone)})`,
        };
      if (lastOperationFailed(link)) return repairChange(`zone link ${link.name ?? linkName(v.ref.name)}`, link);
      return {
        mark: '=',
        resource: `zone link to ${v.ref.name}`,
        reason: zone.shared ? `exists in ${zoneLabel(zone)}` : 'exists',
      };
    });
    return fromChanges(
      { zone: zone.ref.id.toLowerCase(), linked: observedLinks(links), wanted: vnets.map((v) => v.id.toLowerCase()) },
      changes,
    );
  },
  async apply(ctx) {
    const { zone, vnets, links } = await current(ctx);
    // The two links are independent: create (or repair) them at the same time.
    await Promise.all(
      vnets.map((v) => {
        const link = linkTo(links, v);
        if (!link) return createLinkAt(ctx, zone.ref, linkName(v.ref.name), v.id, { ...MANAGED_BY_TAG });
        // A repair re-sends the link as it is, own tags and registration setting included.
        if (lastOperationFailed(link))
          return createLinkAt(
            ctx,
            zone.ref,
            link.name ?? linkName(v.ref.name),
            v.id,
            { ...link.tags },
            link.registrationEnabled ?? false,
          );
        return undefined;
      }),
    );
  },
  async verify(ctx) {
    const { zone, vnets, links } = await current(ctx);
    const missing = vnets.filter((v) => !linkTo(links, v));
    if (missing.length > 0)
      throw new UserError(
        `Zone ${zoneLabel(zone)} isn't linked to ${missing.map((v) => v.ref.name).join(' and ')}.`,
        'Run the same command again.',
      );
    for (const v of vnets) {
      const link = linkTo(links, v)!;
      requireProvisioned(`Zone link ${link.name} (to ${v.ref.name})`, link);
      // A link resolves names only once it is Completed; InProgress means DNS in that VNet isn't private yet.
      if (link.virtualNetworkLinkState && link.virtualNetworkLinkState !== 'Completed') {
        throw new UserError(
          `Zone link ${link.name} (to ${v.ref.name}) is ${link.virtualNetworkLinkState}, not Completed.`,
          'Run the same command again; if it stays so, check the link in the portal under the private DNS zone > Virtual network links.',
        );
      }
    }
    return `Zone ${zoneLabel(zone)} linked to ${vnets.map((v) => v.ref.name).join(' and ')}`;
  },
});
