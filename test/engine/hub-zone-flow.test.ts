/**
 * Hub and spoke: the AKS VNet is already linked to a central privatelink.vaultcore.azure.net
 * zone in another resource group. The run uses that zone (the plan says so), creates no second
 * zone and no second link, and the endpoint's A record lands in the hub zone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_WORLD } from '../../source/sandbox/world/default-world.js';
import { worldSpecSchema } from '../../source/sandbox/world/spec.js';
import { renderPlanText } from '../../source/kernel/plan-render.js';
import { createAzureClients } from '../../source/azure/clients.js';
import { azureConfig, startHarness, type Harness } from './helpers/sandbox-run.js';

const ZONE = 'privatelink.vaultcore.azure.net';
const world = worldSpecSchema.parse({
  ...DEFAULT_WORLD,
  resourceGroups: [...DEFAULT_WORLD.resourceGroups, { name: 'hub-rg', location: 'eastus' }],
  privateDnsZones: [
    {
      name: ZONE,
      resourceGroup: 'hub-rg',
      links: [{ name: 'aks-spoke', vnet: 'aks-vnet', vnetResourceGroup: 'feathr-rg' }],
    },
  ],
});

describe('a hub zone already linked to the AKS VNet', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ world });
  });
  afterAll(() => h.close());

  it('is used: shown in the plan, no second zone, no second link, the A record in the hub zone', async () => {
    const plan = await h.run(azureConfig(), 'plan');
    const text = renderPlanText(plan.outcome.plan);
    expect(text).toContain(
      `A record feathr-kv-demo -> the endpoint's private IP, in the existing zone hub-rg/${ZONE} (the AKS VNet aks-vnet is already linked to it`,
    );
    expect(text).not.toMatch(/\+ private DNS zone|\+ zone link/);
    const zoneStep = plan.outcome.plan.steps.find((s) => s.stepId === 'private-dns-zone');
    expect(zoneStep?.changes[0]).toMatchObject({
      mark: '=',
      resource: `private DNS zone hub-rg/${ZONE}`,
      reason: expect.stringContaining('no new zone, no second link'),
    });
    const { outcome, events } = await h.run(azureConfig(), 'apply');
    expect(events.filter((e) => e.type === 'step.failed')).toEqual([]);
    expect(outcome.exitCode).toBe(0);
    const zones = [...h.sandbox.state.resources.values()].filter((r) => r.type === 'Microsoft.Network/privateDnsZones');
    expect(zones.map((z) => z.id.split('/')[4])).toEqual(['hub-rg']);
    const arm = createAzureClients(h.connection);
    const record = await arm.privateDns.recordSets.get('hub-rg', ZONE, 'A', 'feathr-kv-demo');
    const pe = await arm.network.privateEndpoints.get('feathr-rg', 'feathr-kv-demo-pe');
    expect(record.aRecords?.map((a) => a.ipv4Address)).toEqual([pe.customDnsConfigs?.[0]?.ipAddresses?.[0]]);
    const links = [];
    for await (const l of arm.privateDns.virtualNetworkLinks.list('hub-rg', ZONE)) links.push(l.name);
    expect(links).toEqual(['aks-spoke']);
    // A second run changes nothing.
    const before = h.writes().length;
    expect((await h.run(azureConfig(), 'apply')).outcome.exitCode).toBe(0);
    expect(h.writes().slice(before)).toEqual([]);
  });
});

describe('network.privateEndpoint.dnsZone names an existing zone', () => {
  let h: Harness;
  const unlinked = worldSpecSchema.parse({
    ...world,
    privateDnsZones: [{ name: ZONE, resourceGroup: 'hub-rg', links: [] }],
  });
  beforeAll(async () => {
    h = await startHarness({ world: unlinked });
  });
  afterAll(() => h.close());

  it('links the AKS VNet to that zone and creates none', async () => {
    const dnsZone = `/subscriptions/${h.sandbox.subscriptionId}/resourceGroups/hub-rg/providers/Microsoft.Network/privateDnsZones/${ZONE}`;
    const config = azureConfig({
      network: {
        privateEndpoint: { vnet: 'shared-vnet', subnet: 'kv-endpoints', addressPrefix: '10.20.1.0/24', dnsZone },
        bypass: 'AzureServices',
      },
    });
    const { outcome, events } = await h.run(config, 'apply');
    expect(events.filter((e) => e.type === 'step.failed')).toEqual([]);
    expect(outcome.exitCode).toBe(0);
    const arm = createAzureClients(h.connection);
    const links = [];
    for await (const l of arm.privateDns.virtualNetworkLinks.list('hub-rg', ZONE))
      links.push(l.virtualNetwork?.id?.split('/').pop());
    expect(links).toEqual(['aks-vnet']);
    expect(
      [...h.sandbox.state.resources.values()].filter((r) => r.type === 'Microsoft.Network/privateDnsZones'),
    ).toHaveLength(1);
  });
});
