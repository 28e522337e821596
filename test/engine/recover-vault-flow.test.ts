/**
 * A soft-deleted vault that lived in another resource group: recovery goes back there (the
 * plan says which), keeps the vault's own tags and never marks it as made by this tool.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_WORLD } from '../../source/sandbox/world/default-world.js';
import { worldSpecSchema } from '../../source/sandbox/world/spec.js';
import { renderPlanText } from '../../source/kernel/plan-render.js';
import { createAzureClients } from '../../source/azure/clients.js';
import { azureConfig, startHarness, type Harness } from './helpers/sandbox-run.js';

const world = worldSpecSchema.parse({
  ...DEFAULT_WORLD,
  resourceGroups: [...DEFAULT_WORLD.resourceGroups, { name: 'team-rg', location: 'eastus' }],
  vaults: [
    ...DEFAULT_WORLD.vaults,
    {
      name: 'feathr-kv-team',
      resourceGroup: 'team-rg',
      deleted: true,
      tags: { owner: 'data-team' },
      secrets: { 'CONN-STR': 'kept' },
    },
  ],
});

describe('recovering a soft-deleted vault from another resource group', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ world });
  });
  afterAll(() => h.close());

  const vault = (resourceGroup?: string) => ({
    name: 'feathr-kv-team',
    create: true,
    recover: true,
    permissionModel: 'rbac' as const,
    purgeProtection: false,
    ...(resourceGroup ? { resourceGroup } : {}),
  });

  it('refuses, before any write, to recover it into azure.resourceGroup, naming its own group', async () => {
    await expect(h.run(azureConfig({ vault: vault() }), 'apply')).rejects.toMatchObject({
      message:
        'Soft-deleted vault feathr-kv-team was deleted from resource group team-rg, and Azure recovers it only there, not into feathr-rg.',
      hint: 'Set vault.resourceGroup: team-rg in the preset, so the run recovers it there and uses it there.',
    });
    expect(h.writes()).toEqual([]);
  });

  it('recovers it into its own group with vault.resourceGroup, keeping its tags, not marked as the tool’s', async () => {
    const config = azureConfig({ vault: vault('team-rg') });
    const plan = await h.run(config, 'plan');
    expect(renderPlanText(plan.outcome.plan)).toContain('recover the soft-deleted vault into resource group team-rg');
    const { outcome, events } = await h.run(config, 'apply');
    expect(events.filter((e) => e.type === 'step.failed')).toEqual([]);
    expect(outcome.exitCode).toBe(0);
    const recovered = await createAzureClients(h.connection).keyVault.vaults.get('team-rg', 'feathr-kv-team');
    expect(recovered.tags?.owner).toBe('data-team');
    expect(recovered.tags?.['managed-by']).toBeUndefined();
  });
});
