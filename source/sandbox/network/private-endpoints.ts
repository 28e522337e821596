/**
 * Private endpoints of a vault, as stored by ARM: the connection names the vault as its
 * privateLinkServiceId and is Approved; the endpoint's IP is in `customDnsConfigs` or its
 * `ipConfigurations`, and its VNet is its subnet's.
 */
import type { SandboxState } from '../world/state.js';
import { props, resourcesOfType, sameId, vnetIdOfSubnet } from './arm-lookup.js';

export interface VaultPrivateEndpoint {
  id: string;
  vnetId: string;
  ips: string[];
}

function endpointIps(p: Record<string, any>): string[] {
  const fromDns = ((p.customDnsConfigs ?? []) as { ipAddresses?: string[] }[]).flatMap(
    (config) => config.ipAddresses ?? [],
  );
  const fromIpConfigs = ((p.ipConfigurations ?? []) as { properties?: { privateIPAddress?: string } }[])
    .map((config) => config.properties?.privateIPAddress)
    .filter((ip): ip is string => typeof ip === 'string');
  return [...new Set([...fromDns, ...fromIpConfigs])];
}

export function approvedPrivateEndpoints(state: SandboxState, vaultId: string): VaultPrivateEndpoint[] {
  return resourcesOfType(state, 'Microsoft.Network/privateEndpoints').flatMap((endpoint) => {
    const p = props(endpoint);
    const connections = [
      ...(p.privateLinkServiceConnections ?? []),
      ...(p.manualPrivateLinkServiceConnections ?? []),
    ] as {
      properties?: { privateLinkServiceId?: string; privateLinkServiceConnectionState?: { status?: string } };
    }[];
    const approved = connections.some(
      (connection) =>
        sameId(connection.properties?.privateLinkServiceId, vaultId) &&
        (connection.properties?.privateLinkServiceConnectionState?.status ?? 'Approved') === 'Approved',
    );
    if (!approved || typeof p.subnet?.id !== 'string') return [];
    return [{ id: endpoint.id, vnetId: vnetIdOfSubnet(p.subnet.id), ips: endpointIps(p) }];
  });
}
