/**
 * With throttling, server errors and one long-running operation that ends Failed, a run either
 * succeeds or fails naming the operation; the next run (the faults gone) completes and nothing
 * exists twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAzureClients } from '../../source/azure/clients.js';
import { azureConfig, startHarness, type Harness } from './helpers/sandbox-run.js';

describe('azure run under injected faults', () => {
  let h: Harness;
  beforeAll(async () => {
    // Retry-After: 0 on the injected 429s: the SDK takes the same Retry-After path without a
    // second's sleep for each of the run's ~25 throttled calls.
    h = await startHarness({ faults: 'arm:429@0.2,arm:500@0.05,lro:failed@#2', seed: 7, retryAfterSeconds: 0 });
  });
  afterAll(async () => h.close());

  it('fails clearly or succeeds, then a second run completes without duplicates', async () => {
    const first = await h.run(azureConfig(), 'apply').then(
      (r) => ({ ok: true as const, r }),
      (error: Error) => ({ ok: false as const, error }),
    );
    // The failed LRO surfaces as a message that names the Azure operation and the way forward.
    if (!first.ok) expect(first.error.message).toMatch(/^Can't (create|enable|link|recover|update|assign) .+: /);

    // The next run meets a healthy Azure: 429s at one call in five would, now and then, hit one
    // call more times in a row than the SDK retries, whatever order the parallel steps take.
    h.sandbox.state.faults = undefined;
    const second = await h.run(azureConfig(), 'apply');
    expect(second.outcome.exitCode).toBe(0);
    expect(second.outcome.applied?.verified).toHaveLength(second.outcome.plan.steps.length);

    const arm = createAzureClients({
      ...h.connection,
      retry: { maxRetries: 10, retryDelayInMs: 1, maxRetryDelayInMs: 5 },
    });
    const count = async <T>(it: AsyncIterable<T>) => {
      let n = 0;
      for await (const _ of it) n += 1;
      return n;
    };
    expect(await count(arm.network.privateEndpoints.list('feathr-rg'))).toBe(1);
    expect(await count(arm.privateDns.virtualNetworkLinks.list('feathr-rg', 'privatelink.vaultcore.azure.net'))).toBe(
      2,
    );
    const vnet = await arm.network.virtualNetworks.get('feathr-rg', 'aks-vnet');
    expect(vnet.virtualNetworkPeerings?.map((p) => p.name)).toEqual(['aks-vnet-to-shared-vnet']);
    const vault = await arm.keyVault.vaults.get('feathr-rg', 'feathr-kv-demo');
    const assignments = [];
    for await (const a of arm.authorization.roleAssignments.listForScope(vault.id!.slice(1))) assignments.push(a);
    const perPrincipalRole = new Set(assignments.map((a) => `${a.principalId}|${a.roleDefinitionId}`));
    expect(perPrincipalRole.size).toBe(assignments.length);
    expect(vault.properties.publicNetworkAccess).toBe('Disabled');
  });
});
