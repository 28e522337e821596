/**
 * The private path on AKS as ARM records it: the vault's private endpoint and
 * its NIC address, the private DNS zone's A record and its link to the AKS VNet, and peering
 * in both directions between the AKS VNet and the endpoint VNet.
 */
import type { PrivateEndpoint } from '@azure/arm-network';
import { getVnet, parseRef, privateEndpointIp, vnetRefOfSubnetId } from '../azure/network.js';
import { VAULT_PRIVATE_ZONE, getARecord, getZone, listLinks } from '../azure/private-dns.js';
import { diagnosisContext } from './diagnosis-context.js';
import { clientsFor } from '../azure/subscription-clients.js';
import { fixes } from './fixes.js';
import { azureOnly, inner, peeringTo, sameId } from './network-common.js';
import { fail, pass, skip, type Check, type CheckContext } from './types.js';

async function findEndpoint(ctx: CheckContext, vaultId: string): Promise<PrivateEndpoint | undefined> {
  const pe = ctx.config.network?.privateEndpoint;
  // The vault's group, the endpoint's, and (an endpoint lives in its VNet's subscription) the VNet's group there.
  const places: { resourceGroup: string; subscriptionId?: string }[] = [
    ctx.config.azure.resourceGroup,
    pe?.resourceGroup,
  ]
    .filter((g): g is string => Boolean(g))
    .map((resourceGroup) => ({ resourceGroup }));
  const vnetRef = pe ? parseRef(pe.vnet, pe.resourceGroup ?? ctx.config.azure.resourceGroup) : undefined;
  if (vnetRef?.subscriptionId)
    places.push({ resourceGroup: vnetRef.resourceGroup, subscriptionId: vnetRef.subscriptionId });
  const seen = new Set<string>();
  for (const place of places) {
    const key = `${place.subscriptionId ?? ''}/${place.resourceGroup}`.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    const network = (await clientsFor(ctx.azure!, place.subscriptionId)).network;
    for await (const endpoint of network.privateEndpoints.list(place.resourceGroup, { abortSignal: ctx.signal })) {
      const connections = [
        ...(endpoint.privateLinkServiceConnections ?? []),
        ...(endpoint.manualPrivateLinkServiceConnections ?? []),
      ];
      if (connections.some((c) => sameId(c.privateLinkServiceId, vaultId))) return endpoint;
    }
  }
  return undefined;
}

export const privateEndpointCheck: Check = {
  id: 'network.private-endpoint',
  category: 'network',
  phase: 'installed',
  description: 'the vault has an approved private endpoint',
  severity: 'fatal',
  hint: 'Run the install again: feathr-kv-setup --preset <file> --yes creates the endpoint in network.privateEndpoint.subnet.',
  async run(ctx, facts) {
    const why = azureOnly(ctx) ?? (!facts.vault ? "the vault can't be read" : undefined);
    if (why) return skip(why);
    const pe = await findEndpoint(ctx, facts.vault!.id);
    if (!pe?.id || !pe.name)
      return fail(
        `Vault ${ctx.config.vault.name} has no private endpoint, so nothing in a VNet can reach it with public access disabled.`,
      );
    const status = [...(pe.privateLinkServiceConnections ?? []), ...(pe.manualPrivateLinkServiceConnections ?? [])][0]
      ?.privateLinkServiceConnectionState?.status;
    const ip = await privateEndpointIp(inner(ctx), pe);
    const vnetRef = pe.subnet?.id ? vnetRefOfSubnetId(pe.subnet.id) : undefined;
    const vnet = vnetRef ? await getVnet(inner(ctx), vnetRef) : undefined;
    const endpointVnet =
      vnetRef && vnet?.id
        ? {
            name: vnetRef.name,
            resourceGroup: vnetRef.resourceGroup,
            id: vnet.id,
            addressPrefixes: vnet.addressSpace?.addressPrefixes ?? [],
          }
        : undefined;
    const found = {
      privateEndpoint: { id: pe.id, name: pe.name, ...(ip ? { ip } : {}), ...(status ? { status } : {}) },
      ...(endpointVnet ? { endpointVnet } : {}),
    };
    if (status && status !== 'Approved') {
      return fail(`Private endpoint ${pe.name} is ${status}, so it carries no traffic.`, {
        facts: found,
        hint: `Approve it: az network private-endpoint-connection approve --resource-group ${facts.vault!.resourceGroup} --resource-name ${ctx.config.vault.name} --type Microsoft.KeyVault/vaults --name <connection-name>`,
      });
    }
    return pass(`${pe.name}${ip ? ` at ${ip}` : ''}${endpointVnet ? ` in VNet ${endpointVnet.name}` : ''}`, found);
  },
};

export const dnsZoneCheck: Check = {
  id: 'network.dns-zone',
  category: 'network',
  phase: 'installed',
  description: `${VAULT_PRIVATE_ZONE} holds the vault's record and is linked to the AKS VNet`,
  severity: 'fatal',
  hint: (ctx, facts) => fixes.linkZone(diagnosisContext(ctx, facts)),
  async run(ctx, facts) {
    const why = azureOnly(ctx) ?? (!facts.privateEndpoint ? 'there is no private endpoint' : undefined);
    if (why) return skip(why);
    const rg = ctx.config.azure.resourceGroup;
    const dctx = diagnosisContext(ctx, facts);
    const vaultName = ctx.config.vault.name;
    if (!(await getZone(inner(ctx), rg))) {
      return fail(
        `Private DNS zone ${VAULT_PRIVATE_ZONE} doesn't exist in ${rg}, so vault ${vaultName} resolves to its public address everywhere.`,
        {
          hint: `az network private-dns zone create --resource-group ${rg} --name ${VAULT_PRIVATE_ZONE}, then ${fixes.linkZone(dctx)}`,
        },
      );
    }
    const record = await getARecord(inner(ctx), rg, vaultName);
    const addresses = (record?.aRecords ?? []).map((a) => a.ipv4Address).filter((a): a is string => Boolean(a));
    const ip = facts.privateEndpoint!.ip;
    if (ip && !addresses.includes(ip)) {
      const found = addresses.length > 0 ? `points to ${addresses.join(', ')}` : "doesn't exist";
      return fail(
        `The A record ${vaultName} in ${VAULT_PRIVATE_ZONE} ${found}, not to the private endpoint's address ${ip}.`,
        { hint: fixes.aRecord(dctx), diagnosis: 'dns-wrong-private-answer' },
      );
    }
    const aks = facts.aksVnet;
    if (!aks)
      return {
        status: 'warn',
        message: `the A record is right, but the AKS VNet isn't known, so its link can't be checked`,
      };
    const links = await listLinks(inner(ctx), rg);
    if (!links.some((l) => sameId(l.virtualNetwork?.id, aks.id))) {
      return fail(
        `Zone ${VAULT_PRIVATE_ZONE} isn't linked to VNet ${aks.name}, so pods resolve vault ${vaultName} to its public address, which public access disabled refuses.`,
        {
          hint: fixes.linkZone(dctx),
          diagnosis: 'dns-public-answer',
        },
      );
    }
    return pass(`${vaultName} → ${addresses.join(', ')}, linked to ${aks.name}`);
  },
};

export const peeringCheck: Check = {
  id: 'network.peering',
  category: 'network',
  phase: 'installed',
  description: 'the AKS VNet and the endpoint VNet are peered both ways',
  severity: 'fatal',
  hint: (ctx, facts) =>
    facts.aksVnet && facts.endpointVnet
      ? `${fixes.peer(facts.aksVnet, facts.endpointVnet)}; ${fixes.peer(facts.endpointVnet, facts.aksVnet)}`
      : 'Peer the AKS VNet and the endpoint VNet in both directions.',
  async run(ctx, facts) {
    const why =
      azureOnly(ctx) ??
      (!facts.aksVnet || !facts.endpointVnet ? "the AKS VNet or the endpoint VNet isn't known" : undefined);
    if (why) return skip(why);
    const [aks, ep] = [facts.aksVnet!, facts.endpointVnet!];
    if (sameId(aks.id, ep.id)) return pass(`the endpoint is in the AKS VNet ${aks.name}; no peering needed`);
    const aksVnet = await getVnet(inner(ctx), parseRef(aks.id, aks.resourceGroup ?? ''));
    const epVnet = await getVnet(inner(ctx), parseRef(ep.id, ep.resourceGroup ?? ''));
    const there = peeringTo(aksVnet, ep.id);
    const back = peeringTo(epVnet, aks.id);
    if (!there || !back) {
      const [from, to] = !there ? [aks, ep] : [ep, aks];
      const other = there ?? back;
      return fail(
        `VNet ${from.name} has no peering to ${to.name}${other ? ` (the other direction exists and stays ${other.peeringState ?? 'Initiated'})` : ''}, so pods can't reach the private endpoint.`,
        {
          hint: fixes.peer(from, to),
          diagnosis: 'vault-unreachable',
        },
      );
    }
    const stuck = [there, back].find((p) => p.peeringState !== 'Connected');
    if (stuck)
      return fail(
        `Peering ${stuck.name} is ${stuck.peeringState ?? 'not Connected'}, so no traffic flows between ${aks.name} and ${ep.name}.`,
        { hint: `Delete and re-create both peerings: ${fixes.peer(aks, ep)}; ${fixes.peer(ep, aks)}` },
      );
    return pass(`${aks.name} ⇄ ${ep.name} Connected`);
  },
};
