/**
 * Custom DNS servers on a VNet (`dhcpOptions.dnsServers`): its machines ask those servers, not
 * Azure DNS (168.63.129.16), and only Azure DNS applies private zone links. Unless the servers
 * forward the private link zone to Azure DNS, the cluster gets the vault's public address and,
 * with public access disabled, loses the vault. A warning: the servers may already forward.
 */
import { getVnet, parseRef } from '../azure/network.js';
import { VAULT_PRIVATE_ZONE } from '../azure/private-dns.js';
import { fail, pass, skip, type Check } from './types.js';

const AZURE_DNS = '168.63.129.16';

export const customDnsCheck: Check = {
  id: 'network.custom-dns',
  category: 'network',
  phase: 'preflight',
  description: 'the AKS VNet resolves the private zone (Azure DNS, or servers that forward it)',
  severity: 'warning',
  hint: `On the VNet's DNS servers, forward ${VAULT_PRIVATE_ZONE} to Azure DNS ${AZURE_DNS}, or link the ${VAULT_PRIVATE_ZONE} zone to the VNet those DNS servers run in.`,
  async run(ctx, facts) {
    const pe = ctx.config.network?.privateEndpoint;
    if (ctx.config.target !== 'azure' || !pe) return skip('the target has no private endpoint');
    if (!ctx.azure) return skip('no Azure connection in this run');
    const inner = { azure: ctx.azure, signal: ctx.signal };
    const refs = [
      ...(facts.aksVnet
        ? [
            {
              role: 'AKS VNet',
              ref: {
                resourceGroup: facts.aksVnet.resourceGroup ?? ctx.config.azure.resourceGroup,
                name: facts.aksVnet.name,
              },
            },
          ]
        : []),
      { role: 'endpoint VNet', ref: parseRef(pe.vnet, pe.resourceGroup ?? ctx.config.azure.resourceGroup) },
    ];
    const found: string[] = [];
    for (const { role, ref } of refs) {
      const servers = (await getVnet(inner, ref))?.dhcpOptions?.dnsServers ?? [];
      if (servers.length > 0 && !servers.includes(AZURE_DNS))
        found.push(`${role} ${ref.name} uses custom DNS servers (${servers.join(', ')})`);
    }
    if (found.length === 0) return pass();
    return fail(
      `${found.join('; ')}: the private zone link doesn't apply there, so the cluster resolves the vault to its public address unless those servers forward ${VAULT_PRIVATE_ZONE} to ${AZURE_DNS}.`,
    );
  },
};
