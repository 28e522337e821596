/**
 * A VNet links to at most one private DNS zone of a given name, whichever resource group
 * holds the other zone (hub-and-spoke networks keep theirs in a hub group).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../../source/sandbox/start.js';
import { request, subPath, withSandbox } from './helpers.js';

const ZONE = 'privatelink.vaultcore.azure.net';
let sandbox: RunningSandbox;
const arm = (method: string, path: string, body?: unknown, api = '2024-06-01') =>
  request(sandbox, method, `${path}?api-version=${api}`, { token: sandbox.tokenFor('operator'), body });
const zone = (rg: string) =>
  subPath(sandbox, `/resourceGroups/${rg}/providers/Microsoft.Network/privateDnsZones/${ZONE}`);
const aksVnet = () =>
  subPath(sandbox, '/resourceGroups/feathr-rg/providers/Microsoft.Network/virtualNetworks/aks-vnet');

beforeAll(async () => {
  sandbox = await withSandbox();
});
afterAll(() => sandbox.close());

describe('one zone of a name per VNet', () => {
  it('refuses a second link of the VNet to a namesake zone in another group, with ARM’s text', async () => {
    expect(
      (await arm('PUT', subPath(sandbox, '/resourceGroups/hub-rg'), { location: 'eastus' }, '2025-04-01')).status,
    ).toBeLessThan(300);
    for (const rg of ['hub-rg', 'feathr-rg'])
      expect((await arm('PUT', zone(rg), { location: 'Global' })).status).toBeLessThan(300);
    expect(
      (
        await arm('PUT', `${zone('hub-rg')}/virtualNetworkLinks/hub-link`, {
          location: 'Global',
          properties: { virtualNetwork: { id: aksVnet() }, registrationEnabled: false },
        })
      ).status,
    ).toBeLessThan(300);
    const second = await arm('PUT', `${zone('feathr-rg')}/virtualNetworkLinks/aks-link`, {
      location: 'Global',
      properties: { virtualNetwork: { id: aksVnet() }, registrationEnabled: false },
    });
    expect(second.status).toBe(400);
    expect(second.body.error).toEqual({
      code: 'BadRequest',
      message: `A virtual network cannot be linked to multiple zones with overlapping namespaces. You tried to link virtual network with '${ZONE}' and '${ZONE}' zones.`,
    });
  });
});
