/**
 * A vault that existed before the run may serve others: the plan refuses to lock it down
 * until the operator confirms (network.lockDownExistingVault), and then flags the change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_WORLD } from '../../source/sandbox/world/default-world.js';
import { worldSpecSchema } from '../../source/sandbox/world/spec.js';
import { renderPlanText } from '../../source/kernel/plan-render.js';
import { azureConfig, startHarness, type Harness } from './helpers/sandbox-run.js';

const world = worldSpecSchema.parse({
  ...DEFAULT_WORLD,
  vaults: [
    ...DEFAULT_WORLD.vaults,
    { name: 'feathr-kv-shared', resourceGroup: 'feathr-rg', tags: { owner: 'platform' } },
  ],
});

describe('locking down a vault that existed before the run', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ world });
  });
  afterAll(() => h.close());

  const vault = { name: 'feathr-kv-shared', create: false, permissionModel: 'rbac' as const, purgeProtection: false };

  it('is refused before any write, with the confirmation to give', async () => {
    await expect(h.run(azureConfig({ vault }), 'apply')).rejects.toMatchObject({
      message:
        'Vault feathr-kv-shared existed before this run and may serve others: turning off its public network access cuts off whoever reaches it over the public network.',
      hint: expect.stringContaining('set network.lockDownExistingVault: true in the preset and run with --yes'),
    });
    expect(h.writes()).toEqual([]);
  });

  it('goes ahead once confirmed, the plan saying who loses access', async () => {
    const config = azureConfig({
      vault,
      network: {
        privateEndpoint: { vnet: 'shared-vnet', subnet: 'kv-endpoints', addressPrefix: '10.20.1.0/24' },
        bypass: 'AzureServices',
        lockDownExistingVault: true,
      },
    });
    const plan = await h.run(config, 'plan');
    expect(renderPlanText(plan.outcome.plan)).toContain(
      '~ vault feathr-kv-shared publicNetworkAccess: Enabled -> Disabled (only the private endpoint may reach the vault; done after the secrets are in; the vault existed before this run and may serve others: whoever reaches it over the public network loses access (confirmed: network.lockDownExistingVault))',
    );
    const { outcome } = await h.run(config, 'apply');
    expect(outcome.exitCode).toBe(0);
  });
});
