/**
 * azure: link the private zone to the AKS VNet (whose pods resolve the vault) and to the
 * endpoint's VNet. Without the link, DNS in that VNet returns the vault's public address.
 */
import { defineStep } from '../engine/step.js';
import { fromChanges } from '../engine/plan.js';
import { UserError } from '../engine/errors.js';
import { MANAGED_BY_TAG } from '../engine/setup-config.js';
import { createLink, getZone, listLinks, VAULT_PRIVATE_ZONE } from '../azure/private-dns.js';
import { aksVnet, endpointVnet, linkName, sameVnet, type VnetInfo } from './topology.js';
import type { Change } from '../engine/step.js';

type Ctx = Parameters<typeof aksVnet>[0];

async function wanted(ctx: Ctx): Promise<VnetInfo[]> {
  const [aks, endpoint] = await Promise.all([aksVnet(ctx), endpointVnet(ctx)]);
  return sameVnet(aks, endpoint) ? [aks] : [aks, endpoint];
}

async function linkedVnets(ctx: Ctx): Promise<string[]> {
  const { resourceGroup } = ctx.config.azure;
  if (!(await getZone(ctx, resourceGroup))) return [];
  const links = await listLinks(ctx, resourceGroup);
  return links.map((l) => l.virtualNetwork?.id?.toLowerCase() ?? '').filter(Boolean).sort();
}

export const dnsZoneLinksStep = defineStep<'config' | 'azure' | 'signal'>({
  id: 'dns-zone-links',
  title: 'DNS zone links',
  dependsOn: ['private-dns-zone'],
  appliesTo: (config) => config.target === 'azure',
  async plan(ctx) {
    const [vnets, linked] = await Promise.all([wanted(ctx), linkedVnets(ctx)]);
    const changes: Change[] = vnets.map((v) =>
      linked.includes(v.id.toLowerCase())
        ? { mark: '=', resource: `zone link to ${v.ref.name}`, reason: 'exists' }
        : { mark: '+', resource: `zone link ${linkName(v.ref.name)}`, to: v.ref.name, reason: `VNet ${v.ref.name} must resolve ${ctx.config.vault.name}.vault.azure.net to the private IP` },
    );
    return fromChanges({ linked, wanted: vnets.map((v) => v.id.toLowerCase()) }, changes);
  },
  async apply(ctx) {
    const [vnets, linked] = await Promise.all([wanted(ctx), linkedVnets(ctx)]);
    const missing = vnets.filter((v) => !linked.includes(v.id.toLowerCase()));
    // The two links are independent: create them at the same time.
    await Promise.all(missing.map((v) => createLink(ctx, ctx.config.azure.resourceGroup, linkName(v.ref.name), v.id, { ...MANAGED_BY_TAG })));
  },
  async verify(ctx) {
    const [vnets, linked] = await Promise.all([wanted(ctx), linkedVnets(ctx)]);
    const missing = vnets.filter((v) => !linked.includes(v.id.toLowerCase()));
    if (missing.length > 0) throw new UserError(`Zone ${VAULT_PRIVATE_ZONE} isn't linked to ${missing.map((v) => v.ref.name).join(' and ')}.`, 'Run the same command again.');
    return `Zone ${VAULT_PRIVATE_ZONE} linked to ${vnets.map((v) => v.ref.name).join(' and ')}`;
  },
});
