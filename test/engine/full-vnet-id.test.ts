/**
 * VNets named by full resource ID, as the preset documentation promises: the preset accepts
 * one for network.privateEndpoint.vnet, and the run uses the VNet (and its subscription) the
 * ID names.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../source/config/schema.js';
import { parseRef, vnetRefOfSubnetId } from '../../source/azure/network.js';
import { createAzureClients } from '../../source/azure/clients.js';
import { azureConfig, startHarness, type Harness } from './helpers/sandbox-run.js';

const SUB = '00000000-0000-0000-0000-00000000feed';
const SHARED = `/subscriptions/${SUB}/resourceGroups/feathr-rg/providers/Microsoft.Network/virtualNetworks/shared-vnet`;

describe('full resource IDs for VNets', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('keep their subscription when parsed', () => {
    expect(
      parseRef(
        '/subscriptions/other/resourceGroups/hub-rg/providers/Microsoft.Network/virtualNetworks/hub-vnet',
        'feathr-rg',
      ),
    ).toEqual({ subscriptionId: 'other', resourceGroup: 'hub-rg', name: 'hub-vnet' });
    expect(
      vnetRefOfSubnetId(
        '/subscriptions/other/resourceGroups/spoke-rg/providers/Microsoft.Network/virtualNetworks/spoke/subnets/nodes',
      ),
    ).toEqual({ subscriptionId: 'other', resourceGroup: 'spoke-rg', name: 'spoke' });
  });

  it('are accepted by the preset schema for network.privateEndpoint.vnet', () => {
    const base = {
      version: 1,
      target: 'azure',
      azure: { subscriptionId: SUB, resourceGroup: 'feathr-rg', location: 'eastus' },
      vault: { name: 'feathr-kv-demo' },
      cluster: { kubeContext: 'feathr-aks', aks: { resourceGroup: 'feathr-rg', name: 'feathr-aks' } },
      csi: { install: 'aks-addon' },
      identity: { mode: 'aks-addon' },
      secrets: { sources: [{ env: ['CONN_STR'] }] },
    };
    expect(
      configSchema.safeParse({ ...base, network: { privateEndpoint: { vnet: SHARED, subnet: 'kv-endpoints' } } })
        .success,
    ).toBe(true);
    expect(
      configSchema.safeParse({
        ...base,
        network: { privateEndpoint: { vnet: '/subscriptions/x/virtualNetworks/bad', subnet: 'kv-endpoints' } },
      }).success,
    ).toBe(false);
  });

  it('reach the named VNet in a run', async () => {
    const config = azureConfig({
      network: {
        privateEndpoint: { vnet: SHARED, subnet: 'kv-endpoints', addressPrefix: '10.20.1.0/24' },
        bypass: 'AzureServices',
      },
    });
    const { outcome, events } = await h.run(config, 'apply');
    expect(events.filter((e) => e.type === 'step.failed')).toEqual([]);
    expect(outcome.exitCode).toBe(0);
    const back = await createAzureClients(h.connection).network.virtualNetworkPeerings.get(
      'feathr-rg',
      'shared-vnet',
      'shared-vnet-to-aks-vnet',
    );
    expect(back.peeringState).toBe('Connected');
  });
});
