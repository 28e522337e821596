/**
 * The endpoint VNet lives in a second subscription, of another tenant, named by full resource
 * ID; the first subscription has a VNet of the same name in a group of the same name. The run
 * reaches the second subscription with that tenant's token, peers both ways, puts the private
 * endpoint where Azure requires it (the VNet's subscription) and writes nothing to the look-alike.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_WORLD } from '../../source/sandbox/world/default-world.js';
import { worldSpecSchema } from '../../source/sandbox/world/spec.js';
import { createAzureClients } from '../../source/azure/clients.js';
import { clientsFor } from '../../source/azure/subscription-clients.js';
import { requiredActions } from '../../source/checks/permissions.js';
import { openWizardConnection } from '../../source/connect/wizard-connection.js';
import { azureConfig, startHarness, SUBSCRIPTION, type Harness } from './helpers/sandbox-run.js';

const SUB2 = '00000000-0000-0000-0000-00000000beef';
const TENANT2 = '00000000-0000-0000-0000-0000000000bb';
const SPOKE = `/subscriptions/${SUB2}/resourceGroups/spoke-rg/providers/Microsoft.Network/virtualNetworks/spoke-vnet`;
const world = worldSpecSchema.parse({
  ...DEFAULT_WORLD,
  subscriptions: [{ id: SUB2, tenantId: TENANT2, name: 'spoke subscription' }],
  resourceGroups: [
    ...DEFAULT_WORLD.resourceGroups,
    { name: 'spoke-rg', location: 'eastus', subscriptionId: SUB2 },
    { name: 'spoke-rg', location: 'eastus' },
  ],
  virtualNetworks: [
    ...DEFAULT_WORLD.virtualNetworks,
    { name: 'spoke-vnet', resourceGroup: 'spoke-rg', subscriptionId: SUB2, addressPrefixes: ['10.40.0.0/16'] },
    { name: 'spoke-vnet', resourceGroup: 'spoke-rg', addressPrefixes: ['10.40.0.0/16'] },
  ],
});

describe('an endpoint VNet in a second subscription of another tenant', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ world });
  });
  afterAll(() => h.close());

  it('is peered both ways and holds the endpoint; the same-named VNet of the first subscription is untouched', async () => {
    const config = azureConfig({
      network: {
        privateEndpoint: { vnet: SPOKE, subnet: 'kv-endpoints', addressPrefix: '10.40.1.0/24' },
        bypass: 'AzureServices',
      },
    });
    const { outcome, events } = await h.run(config, 'apply');
    expect(events.filter((e) => e.type === 'step.failed')).toEqual([]);
    expect(outcome.exitCode).toBe(0);

    const home = createAzureClients(h.connection);
    const spoke = await clientsFor(home, SUB2);
    expect(spoke.tenantId).toBe(TENANT2);
    expect(
      (await home.network.virtualNetworkPeerings.get('feathr-rg', 'aks-vnet', 'aks-vnet-to-spoke-vnet')).peeringState,
    ).toBe('Connected');
    expect(
      (await spoke.network.virtualNetworkPeerings.get('spoke-rg', 'spoke-vnet', 'spoke-vnet-to-aks-vnet')).peeringState,
    ).toBe('Connected');
    const pe = await spoke.network.privateEndpoints.get('spoke-rg', 'feathr-kv-demo-pe');
    expect(pe.subnet?.id?.toLowerCase()).toBe(`${SPOKE}/subnets/kv-endpoints`.toLowerCase());

    const lookAlike = `/subscriptions/${SUBSCRIPTION}/resourcegroups/spoke-rg/`;
    expect(h.writes().filter((w) => w.path.toLowerCase().startsWith(lookAlike))).toEqual([]);
    expect(h.writes().some((w) => w.path.toLowerCase().startsWith(`${SPOKE}/subnets/kv-endpoints`.toLowerCase()))).toBe(
      true,
    );
    // No call was refused for its token's tenant on the way; the only 401s are the unauthenticated
    // tenant discovery of the second subscription.
    expect(h.sandbox.state.requestLog.filter((r) => r.status === 401).map((r) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining([`GET /subscriptions/${SUB2}`]),
    );
    expect(h.sandbox.state.requestLog.filter((r) => r.status === 401 && r.path !== `/subscriptions/${SUB2}`)).toEqual(
      [],
    );
  });

  it('asks for the VNet and endpoint permissions in the VNet’s own subscription', () => {
    const config = azureConfig({
      network: { privateEndpoint: { vnet: SPOKE, subnet: 'kv-endpoints' }, bypass: 'AzureServices' },
    });
    const needed = requiredActions(config, {});
    const spokeGroup = `/subscriptions/${SUB2}/resourceGroups/spoke-rg`;
    expect(needed.get(spokeGroup)).toEqual(
      expect.arrayContaining([
        'Microsoft.Network/virtualNetworks/subnets/write',
        'Microsoft.Network/privateEndpoints/write',
      ]),
    );
    expect(needed.has('spoke-rg')).toBe(false);
    expect(needed.get('feathr-rg')).not.toContain('Microsoft.Network/privateEndpoints/write');
  });

  it('gives the wizard a connection for the chosen subscription in its own tenant', async () => {
    const wizard = await openWizardConnection({ kind: 'sandbox-running', url: h.sandbox.url, caPem: h.sandbox.caPem });
    try {
      const other = await wizard.forSubscription(SUB2);
      expect(other).toMatchObject({ subscriptionId: SUB2, tenantId: TENANT2 });
      const groups = [];
      for await (const g of createAzureClients(other).resources.resourceGroups.list()) groups.push(g.name);
      expect(groups).toEqual(['spoke-rg']);
    } finally {
      await wizard.close();
    }
  });
});
