/** Fixes for the path from the cluster to the vault: firewall rules, private DNS, peering. */
import { VAULT_ZONE, rg, type DiagnosisContext, type VnetRef } from './fix-context.js';

function peer(from: VnetRef, to: VnetRef): string {
  return `Create the peering from ${from.name} to ${to.name}: az network vnet peering create --resource-group ${from.resourceGroup ?? '<resource-group>'} --vnet-name ${from.name} --name ${from.name}-to-${to.name} --remote-vnet ${to.id ?? to.name} --allow-vnet-access`;
}

export const networkFixes = {
  allowIp(ctx: DiagnosisContext, address?: string): string {
    return `az keyvault network-rule add --name ${ctx.vaultName} --resource-group ${rg(ctx)} --ip-address ${address ?? '<egress-ip>'}`;
  },
  linkZone(ctx: DiagnosisContext): string {
    const vnet = ctx.aksVnet;
    if (!vnet)
      return `Link ${VAULT_ZONE} to the cluster's VNet: az network private-dns link vnet create --resource-group ${rg(ctx)} --zone-name ${VAULT_ZONE} --name <aks-vnet>-link --virtual-network <aks-vnet-id> --registration-enabled false`;
    return `Link ${VAULT_ZONE} to VNet ${vnet.name}: az network private-dns link vnet create --resource-group ${rg(ctx)} --zone-name ${VAULT_ZONE} --name ${vnet.name}-link --virtual-network ${vnet.id ?? vnet.name} --registration-enabled false`;
  },
  aRecord(ctx: DiagnosisContext): string {
    return `az network private-dns record-set a add-record --resource-group ${rg(ctx)} --zone-name ${VAULT_ZONE} --record-set-name ${ctx.vaultName} --ipv4-address ${ctx.privateEndpointIp ?? '<endpoint-ip>'}`;
  },
  peer,
  openPath(ctx: DiagnosisContext): string {
    if (ctx.target === 'azure' && ctx.aksVnet && ctx.endpointVnet && ctx.aksVnet.name !== ctx.endpointVnet.name) {
      return `Peer ${ctx.aksVnet.name} and ${ctx.endpointVnet.name} in both directions, and let the nodes' NSG allow outbound TCP 443 to the endpoint subnet. ${peer(ctx.aksVnet, ctx.endpointVnet)}`;
    }
    return `Allow outbound TCP 443 from the nodes to ${ctx.vaultName}.vault.azure.net and to login.microsoftonline.com.`;
  },
};
