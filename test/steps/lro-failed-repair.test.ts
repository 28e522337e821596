/**
 * Every Azure step converges after an ARM operation that ended Failed (issues 4 and 9): the
 * resource stays behind in provisioningState Failed, so
 *   Given a run whose LRO for that resource ends Failed (the run fails naming the operation),
 *   Then the step's verify refuses the resource, the next plan shows `~ … provisioningState:
 *   Failed -> Succeeded`, the next apply re-sends the PUT and succeeds, and a plan after that is empty.
 * One in-process sandbox over the real SDKs, reset between cases; azure steps only (fast).
 */
import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAzureClients } from '../../source/azure/clients.js';
import { createFaultPlan } from '../../source/sandbox/faults.js';
import { renderPlanText } from '../../source/kernel/plan-render.js';
import { STEPS } from '../../source/steps/index.js';
import { azureConfig, startHarness, type Harness } from '../engine/helpers/sandbox-run.js';

interface Case {
  stepId: string;
  /** sandbox/faults.ts grammar: the LRO started by the request whose path contains this. */
  fault: string;
  /** The failed run's error names the operation. */
  error: string;
  /** The repair line of the next plan. */
  planLine: string;
}

const CASES: Case[] = [
  {
    stepId: 'vault',
    fault: 'lro/vaults/feathr-kv-demo:failed@#1',
    error: "Can't create vault feathr-kv-demo",
    planLine: '~ vault feathr-kv-demo provisioningState: Failed -> Succeeded',
  },
  {
    stepId: 'endpoint-subnet',
    fault: 'lro/subnets/kv-endpoints:failed@#1',
    error: "Can't create subnet shared-vnet/kv-endpoints",
    planLine: '~ subnet shared-vnet/kv-endpoints provisioningState: Failed -> Succeeded',
  },
  {
    stepId: 'private-endpoint',
    fault: 'lro/privateendpoints/feathr-kv-demo-pe:failed@#1',
    error: "Can't create private endpoint feathr-kv-demo-pe",
    planLine: '~ private endpoint feathr-kv-demo-pe provisioningState: Failed -> Succeeded',
  },
  {
    stepId: 'private-dns-zone',
    fault: 'lro/privatednszones/privatelink.vaultcore.azure.net:failed@#1',
    error: "Can't create private DNS zone privatelink.vaultcore.azure.net",
    planLine: '~ private DNS zone privatelink.vaultcore.azure.net provisioningState: Failed -> Succeeded',
  },
  {
    stepId: 'dns-zone-group',
    fault: 'lro/privatednszonegroups/default:failed@#1',
    error: "Can't create DNS zone group feathr-kv-demo-pe/default",
    planLine: '~ zone group feathr-kv-demo-pe/default provisioningState: Failed -> Succeeded',
  },
  {
    stepId: 'dns-zone-links',
    fault: 'lro/virtualnetworklinks/aks-vnet-link:failed@#1',
    error: "Can't link private DNS zone privatelink.vaultcore.azure.net to aks-vnet",
    planLine: '~ zone link aks-vnet-link provisioningState: Failed -> Succeeded',
  },
  {
    stepId: 'vnet-peering',
    fault: 'lro/virtualnetworkpeerings/aks-vnet-to-shared-vnet:failed@#1',
    error: "Can't create peering aks-vnet/aks-vnet-to-shared-vnet",
    planLine: '~ peering aks-vnet/aks-vnet-to-shared-vnet provisioningState: Failed -> Succeeded',
  },
  {
    stepId: 'vnet-peering',
    fault: 'lro/virtualnetworkpeerings/shared-vnet-to-aks-vnet:failed@#1',
    error: "Can't create peering shared-vnet/shared-vnet-to-aks-vnet",
    planLine: '~ peering shared-vnet/shared-vnet-to-aks-vnet provisioningState: Failed -> Succeeded',
  },
  {
    stepId: 'aks-addon',
    fault: 'lro/managedclusters/feathr-aks:failed@#1',
    error: "Can't enable the Key Vault add-on on AKS cluster feathr-aks",
    planLine: '~ AKS cluster feathr-aks provisioningState: Failed -> Succeeded',
  },
];

function reset(h: Harness): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = https.request(
      `${h.sandbox.url}/_sandbox/reset`,
      { method: 'POST', ca: h.sandbox.caPem },
      (response) => {
        response.resume();
        response.on('end', () =>
          response.statusCode === 200 ? resolve() : reject(new Error(`reset: ${response.statusCode}`)),
        );
      },
    );
    request.on('error', reject);
    request.end();
  });
}

describe('a step whose ARM operation ended Failed converges on the next run', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  for (const c of CASES) {
    it(`${c.stepId}: ${c.fault}`, async () => {
      await reset(h);
      h.sandbox.state.faults = createFaultPlan({ faults: c.fault, seed: 7 });
      // Given: the run fails, naming the operation whose LRO ended Failed.
      await expect(h.run(azureConfig(), 'apply')).rejects.toThrow(c.error);
      expect(h.sandbox.state.faults.rules[0]!.count, 'the fault never matched').toBeGreaterThan(0);
      h.sandbox.state.faults = undefined;

      // Then verify refuses the Failed resource (it exists, so "exists" alone isn't enough).
      const step = STEPS.find((s) => s.id === c.stepId)!;
      const ctx = {
        config: azureConfig(),
        azure: createAzureClients(h.connection),
        signal: new AbortController().signal,
      } as Parameters<typeof step.verify>[0];
      await expect(step.verify(ctx)).rejects.toThrow(/is in the Failed provisioning state/);

      // The next plan shows the repair; the next apply makes it; after that nothing is left to do.
      const plan = await h.run(azureConfig(), 'plan');
      expect(renderPlanText(plan.outcome.plan)).toContain(c.planLine);
      const again = await h.run(azureConfig(), 'apply');
      expect(again.outcome.exitCode).toBe(0);
      expect(await step.verify(ctx)).toBeTruthy();
      const after = await h.run(azureConfig(), 'plan');
      expect(renderPlanText(after.outcome.plan)).not.toContain('provisioningState');
      expect(after.outcome.exitCode, renderPlanText(after.outcome.plan)).toBe(0);
    });
  }
});
