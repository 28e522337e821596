/**
 * An install whose endpoint VNet is in a second subscription of another tenant, then uninstall:
 * the ledger records that subscription for the subnet and peerings, and uninstall removes them
 * (and the endpoint) there, never touching the same-named VNet of the vault's subscription.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPreset } from '../../source/config/load-preset.js';
import { readLedger } from '../../source/domain/ledger.js';
import { DEFAULT_WORLD } from '../../source/sandbox/world/default-world.js';
import { worldSpecSchema } from '../../source/sandbox/world/spec.js';
import type { SetupConfig } from '../../source/config/setup-config.js';
import { startKubeHarness, type KubeHarness } from '../steps/kube-harness.js';
import { uninstall, writes } from './helpers.js';

const SUB2 = '00000000-0000-0000-0000-00000000beef';
const SPOKE = `/subscriptions/${SUB2}/resourceGroups/spoke-rg/providers/Microsoft.Network/virtualNetworks/spoke-vnet`;
const world = worldSpecSchema.parse({
  ...DEFAULT_WORLD,
  subscriptions: [{ id: SUB2, tenantId: '00000000-0000-0000-0000-0000000000bb', name: 'spoke subscription' }],
  resourceGroups: [
    ...DEFAULT_WORLD.resourceGroups,
    { name: 'spoke-rg', location: 'eastus', subscriptionId: SUB2 },
    { name: 'spoke-rg', location: 'eastus' },
  ],
  virtualNetworks: [
    ...DEFAULT_WORLD.virtualNetworks,
    { name: 'spoke-vnet', resourceGroup: 'spoke-rg', subscriptionId: SUB2, addressPrefixes: ['10.40.0.0/16'] },
    {
      name: 'spoke-vnet',
      resourceGroup: 'spoke-rg',
      addressPrefixes: ['10.40.0.0/16'],
      subnets: [{ name: 'kv-endpoints', addressPrefix: '10.40.1.0/24' }],
    },
  ],
});

describe('uninstall after an install into another tenant’s VNet', () => {
  let h: KubeHarness;
  let config: SetupConfig;
  beforeAll(async () => {
    h = await startKubeHarness({ world });
    const preset = await loadPreset('presets/aks-private-endpoint.yaml');
    config = {
      ...preset,
      network: {
        ...preset.network,
        privateEndpoint: { ...preset.network!.privateEndpoint!, vnet: SPOKE, addressPrefix: '10.40.1.0/24' },
      },
    };
    const { outcome, events } = await h.run(config, 'apply');
    expect(events.filter((e) => e.type === 'step.failed')).toEqual([]);
    expect(outcome.exitCode).toBe(0);
  }, 60_000);
  afterAll(async () => h.close());

  it('records the subscription in the ledger and removes there only', async () => {
    const vault = [...h.sandbox.state.resources.values()].find(
      (r) => r.type === 'Microsoft.KeyVault/vaults' && r.name === config.vault.name,
    )!;
    const ledger = readLedger(vault.tags);
    expect(ledger.subnets.map((s) => s.vnet)).toEqual([
      { subscriptionId: SUB2, resourceGroup: 'spoke-rg', name: 'spoke-vnet' },
    ]);
    expect(ledger.peerings.flatMap((p) => [p.vnet, p.remote]).filter((r) => r.name === 'spoke-vnet')).toEqual([
      { subscriptionId: SUB2, resourceGroup: 'spoke-rg', name: 'spoke-vnet' },
      { subscriptionId: SUB2, resourceGroup: 'spoke-rg', name: 'spoke-vnet' },
    ]);
    const before = writes(h).length;
    const { outcome } = await uninstall(h, config);
    expect(outcome.exitCode).toBe(0);
    const gone = (id: string) => !h.sandbox.state.resources.has(id.toLowerCase());
    expect(gone(`${SPOKE}/subnets/kv-endpoints`)).toBe(true);
    expect(gone(`${SPOKE}/virtualNetworkPeerings/spoke-vnet-to-aks-vnet`)).toBe(true);
    expect(
      gone(
        `/subscriptions/${SUB2}/resourceGroups/spoke-rg/providers/Microsoft.Network/privateEndpoints/${config.vault.name}-pe`,
      ),
    ).toBe(true);
    const lookAlike = `/subscriptions/${h.sandbox.subscriptionId}/resourcegroups/spoke-rg/`;
    expect(
      writes(h)
        .slice(before)
        .filter((w) => w.toLowerCase().includes(lookAlike)),
    ).toEqual([]);
    expect(
      gone(
        `/subscriptions/${h.sandbox.subscriptionId}/resourceGroups/spoke-rg/providers/Microsoft.Network/virtualNetworks/spoke-vnet/subnets/kv-endpoints`,
      ),
    ).toBe(false);
  });
});
