/**
 * Builds the AKS private-endpoint topology through the sandbox's ARM API (plain HTTPS, the
 * shapes the SDKs send), so the DNS and routing tests read what ARM really stored.
 */
import { expect } from 'vitest';
import type { RunningSandbox } from '../../../source/sandbox/start.js';
import { RG_ID, httpsJson, vaultId } from '../keyvault/world.js';

export const NET = '2024-05-01';
export const DNS = '2024-06-01';
export const ZONE_ID = `${RG_ID}/providers/Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net`;
export const vnetId = (name: string) => `${RG_ID}/providers/Microsoft.Network/virtualNetworks/${name}`;

export async function arm(sandbox: RunningSandbox, method: string, id: string, apiVersion: string, body?: unknown) {
  const response = await httpsJson(sandbox, method, `${id}?api-version=${apiVersion}`, {
    token: sandbox.tokenFor('operator'),
    body,
  });
  expect(response.status, JSON.stringify(response.body)).toBeLessThan(300);
  return response.body;
}

/** Subnet + private endpoint for the vault in shared-vnet, the zone and its zone group; returns the endpoint IP. */
export async function privateEndpointFor(sandbox: RunningSandbox, vault: string): Promise<string> {
  const subnetId = `${vnetId('shared-vnet')}/subnets/kv-endpoints`;
  await arm(sandbox, 'PUT', subnetId, NET, {
    properties: { addressPrefix: '10.20.1.0/24', privateEndpointNetworkPolicies: 'Disabled' },
  });
  const endpointId = `${RG_ID}/providers/Microsoft.Network/privateEndpoints/pe-${vault}`;
  await arm(sandbox, 'PUT', endpointId, NET, {
    location: 'eastus',
    properties: {
      subnet: { id: subnetId },
      privateLinkServiceConnections: [
        { name: 'kv', properties: { privateLinkServiceId: vaultId(vault), groupIds: ['vault'] } },
      ],
    },
  });
  await arm(sandbox, 'PUT', ZONE_ID, DNS, { location: 'Global' });
  await arm(sandbox, 'PUT', `${endpointId}/privateDnsZoneGroups/default`, NET, {
    properties: { privateDnsZoneConfigs: [{ name: 'vault', properties: { privateDnsZoneId: ZONE_ID } }] },
  });
  const endpoint = await arm(sandbox, 'GET', endpointId, NET);
  return endpoint.properties.customDnsConfigs[0].ipAddresses[0];
}

export async function linkZone(sandbox: RunningSandbox, vnet: string, extra: Record<string, unknown> = {}) {
  await arm(sandbox, 'PUT', `${ZONE_ID}/virtualNetworkLinks/link-${vnet}`, DNS, {
    location: 'Global',
    properties: { virtualNetwork: { id: vnetId(vnet) }, registrationEnabled: false, ...extra },
  });
}

/** Puts one side and reads it back, as a client polling the operation does: the state changes when it completes. */
export async function peer(sandbox: RunningSandbox, from: string, to: string) {
  const id = `${vnetId(from)}/virtualNetworkPeerings/${from}-to-${to}`;
  await arm(sandbox, 'PUT', id, NET, {
    properties: {
      remoteVirtualNetwork: { id: vnetId(to) },
      allowVirtualNetworkAccess: true,
      allowForwardedTraffic: false,
      allowGatewayTransit: false,
      useRemoteGateways: false,
    },
  });
  await arm(sandbox, 'GET', id, NET);
}
