/**
 * Azure takes one write per VNet at a time (the sandbox answers a second one with
 * AnotherOperationInProgress / ReferencedResourceNotProvisioned). With every ARM write and
 * operation taking a little time, the azure run must still succeed at the first try, and a
 * peering left Disconnected is re-put before its other side. About 2 s.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createAzureClients } from '../../source/azure/clients.js';
import { azureConfig, startHarness, type Harness } from './helpers/sandbox-run.js';

describe('writes to one VNet never overlap', () => {
  let h: Harness | undefined;
  afterEach(async () => h?.close());

  it('applies the azure topology at the first try when ARM writes and operations take time', async () => {
    h = await startHarness({ latency: 'arm-write=40,lro=80' });
    const { outcome, events } = await h.run(azureConfig(), 'apply');
    expect(events.filter((e) => e.type === 'step.failed')).toEqual([]);
    expect(outcome.exitCode).toBe(0);
    expect(h.writes().filter((w) => w.status === 409 || w.status === 400)).toEqual([]);
  });

  it('re-puts a Disconnected side before the other side', async () => {
    h = await startHarness();
    expect((await h.run(azureConfig(), 'apply')).outcome.exitCode).toBe(0);
    const arm = createAzureClients(h.connection);
    // Someone deletes the AKS side: the endpoint side is left Disconnected.
    await arm.network.virtualNetworkPeerings.beginDeleteAndWait('feathr-rg', 'aks-vnet', 'aks-vnet-to-shared-vnet', {
      updateIntervalInMs: 2,
    });
    expect(
      (await arm.network.virtualNetworkPeerings.get('feathr-rg', 'shared-vnet', 'shared-vnet-to-aks-vnet'))
        .peeringState,
    ).toBe('Disconnected');
    const before = h.writes().length;
    const { outcome, events } = await h.run(azureConfig(), 'apply');
    expect(events.filter((e) => e.type === 'step.failed')).toEqual([]);
    expect(outcome.exitCode).toBe(0);
    const peeringPuts = h
      .writes()
      .slice(before)
      .filter((w) => /virtualNetworkPeerings/i.test(w.path) && w.method === 'PUT');
    expect(peeringPuts.map((w) => [w.path.split('/').pop(), w.status])).toEqual([
      ['shared-vnet-to-aks-vnet', 200],
      ['aks-vnet-to-shared-vnet', 201],
    ]);
    const states = await Promise.all([
      arm.network.virtualNetworkPeerings.get('feathr-rg', 'aks-vnet', 'aks-vnet-to-shared-vnet'),
      arm.network.virtualNetworkPeerings.get('feathr-rg', 'shared-vnet', 'shared-vnet-to-aks-vnet'),
    ]);
    expect(states.map((s) => s.peeringState)).toEqual(['Connected', 'Connected']);
  });
});
