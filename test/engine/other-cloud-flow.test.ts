/**
 * The other-cloud topology against the sandbox: the firewall admits exactly the allowlist,
 * a re-run writes nothing, and changing one IP shows exactly that change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAzureClients } from '../../source/azure/clients.js';
import { renderPlanText } from '../../source/kernel/plan-render.js';
import { otherCloudConfig, startHarness, type Harness } from './helpers/sandbox-run.js';

describe('other-cloud topology (IP allowlist)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h.close());

  it('sets defaultAction Deny with exactly the allowlisted IPs, and a second run writes nothing', async () => {
    const first = await h.run(otherCloudConfig(), 'apply');
    expect(first.outcome.exitCode).toBe(0);
    const vault = await createAzureClients(h.connection).keyVault.vaults.get('feathr-rg', 'feathr-kv-eks');
    expect(vault.properties.publicNetworkAccess).toBe('Enabled');
    expect(vault.properties.networkAcls?.defaultAction).toBe('Deny');
    expect(vault.properties.networkAcls?.bypass).toBe('AzureServices');
    expect(vault.properties.networkAcls?.ipRules?.map((r) => r.value.replace(/\/32$/, '')).sort()).toEqual([
      '52.14.20.1',
      '52.14.20.2',
    ]);

    const before = h.writes().length;
    const plan = await h.run(otherCloudConfig(), 'plan');
    expect(plan.outcome.exitCode).toBe(0);
    expect((await h.run(otherCloudConfig(), 'apply')).outcome.exitCode).toBe(0);
    expect(h.writes().slice(before)).toEqual([]);
  });

  it('treats 1.2.3.4 and 1.2.3.4/32 as the same rule', async () => {
    const plan = await h.run(
      otherCloudConfig({ network: { allowedIps: ['52.14.20.1/32', '52.14.20.2'], bypass: 'AzureServices' } }),
      'plan',
    );
    expect(plan.outcome.exitCode).toBe(0);
  });

  it('shows exactly one change when one allowlisted IP changes (plan exit 2, no write)', async () => {
    const before = h.writes().length;
    const plan = await h.run(
      otherCloudConfig({
        network: { allowedIps: ['52.14.20.1', '52.14.20.9'], bypass: 'AzureServices', keepExistingIpRules: false },
      }),
      'plan',
    );
    expect(plan.outcome.exitCode).toBe(2);
    const changed = plan.outcome.plan.steps.flatMap((s) =>
      s.changes.filter((c) => c.mark !== '=').map((c) => ({ step: s.stepId, ...c })),
    );
    expect(changed).toEqual([
      {
        step: 'vault-firewall',
        mark: '+',
        resource: 'vault feathr-kv-eks ipRules',
        to: '52.14.20.9/32',
        reason: 'cluster egress IP in the allowlist',
      },
      {
        step: 'vault-firewall',
        mark: '~',
        resource: 'vault feathr-kv-eks ipRules',
        from: '52.14.20.2/32',
        reason: 'not in the allowlist and keepExistingIpRules is false',
      },
    ]);
    expect(renderPlanText(plan.outcome.plan)).toContain('+ vault feathr-kv-eks ipRules: 52.14.20.9/32');
    expect(h.writes().slice(before)).toEqual([]);
  });

  it('keeps rules already on the vault by default, so the change is only the new IP', async () => {
    const plan = await h.run(
      otherCloudConfig({ network: { allowedIps: ['52.14.20.1', '52.14.20.9'], bypass: 'AzureServices' } }),
      'plan',
    );
    const changed = plan.outcome.plan.steps.flatMap((s) => s.changes.filter((c) => c.mark !== '='));
    expect(changed.map((c) => `${c.mark} ${c.to ?? c.from}`)).toEqual(['+ 52.14.20.9/32']);
  });
});
