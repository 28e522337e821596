/**
 * A cluster whose service (or overlay pod) range overlaps the endpoint VNet can't reach the
 * endpoint: refused before any write, naming the range.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_WORLD } from '../../source/sandbox/world/default-world.js';
import { worldSpecSchema } from '../../source/sandbox/world/spec.js';
import { azureConfig, startHarness, type Harness } from './helpers/sandbox-run.js';

const world = worldSpecSchema.parse({
  ...DEFAULT_WORLD,
  aksClusters: DEFAULT_WORLD.aksClusters.map((c) => ({ ...c, serviceCidr: '10.20.0.0/16', podCidr: '192.168.0.0/16' })),
});

describe('AKS service and pod ranges', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ world });
  });
  afterAll(() => h.close());

  it('refuses an endpoint VNet inside the cluster’s service range before any write', async () => {
    await expect(h.run(azureConfig(), 'apply')).rejects.toThrow(
      "VNet shared-vnet (10.20.0.0/16) overlaps the AKS cluster's service range 10.20.0.0/16, so the cluster can't reach the endpoint there",
    );
    expect(h.writes()).toEqual([]);
  });
});

describe('custom DNS servers on the AKS VNet', () => {
  let h: Harness;
  const dnsWorld = worldSpecSchema.parse({
    ...DEFAULT_WORLD,
    virtualNetworks: DEFAULT_WORLD.virtualNetworks.map((v) =>
      v.name === 'aks-vnet' ? { ...v, dnsServers: ['10.10.0.250'] } : v,
    ),
  });
  beforeAll(async () => {
    h = await startHarness({ world: dnsWorld });
  });
  afterAll(() => h.close());

  it('warns before planning, with the forwarding fix', async () => {
    const { events } = await h.run(azureConfig(), 'plan');
    const result = events.find(
      (e) => e.type === 'check.result' && (e as { id?: string }).id === 'network.custom-dns',
    ) as { status?: string; severity?: string; message?: string; hint?: string } | undefined;
    expect(result).toMatchObject({ status: 'warn', severity: 'warning' });
    expect(result?.message).toContain('AKS VNet aks-vnet uses custom DNS servers (10.10.0.250)');
    expect(result?.hint).toBe(
      "On the VNet's DNS servers, forward privatelink.vaultcore.azure.net to Azure DNS 168.63.129.16, or link the privatelink.vaultcore.azure.net zone to the VNet those DNS servers run in.",
    );
  });
});
