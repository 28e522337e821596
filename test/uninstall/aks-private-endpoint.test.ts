/**
 * presets/aks-private-endpoint.yaml installed, then uninstalled: everything the tool made goes
 * (release, synced Secret, namespace, role assignments, add-on, zone group, links, endpoint,
 * zone, subnet, peerings), what someone else made survives, the vault and its secrets stay,
 * and the sandbox ends as before the install; a second uninstall writes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPreset } from '../../source/config/load-preset.js';
import { createAzureClients } from '../../source/azure/clients.js';
import { vaultId } from '../../source/azure/vaults.js';
import { assignRole, listAssignments, ROLE } from '../../source/azure/roles.js';
import type { SetupConfig } from '../../source/config/setup-config.js';
import { startKubeHarness, type KubeHarness } from '../steps/kube-harness.js';
import { armSnapshot, clusterSnapshot, lines, uninstall, vaultSecrets, writes } from './helpers.js';

const SP_OBJECT_ID = '00000000-0000-0000-0000-00000000b001';

describe('uninstall after the aks-private-endpoint preset', () => {
  let h: KubeHarness;
  let config: SetupConfig;
  let armBefore: Record<string, unknown>;
  let clusterBefore: unknown;
  let secretsAfterInstall: unknown;

  beforeAll(async () => {
    h = await startKubeHarness();
    config = await loadPreset('presets/aks-private-endpoint.yaml');
    armBefore = armSnapshot(h, config.vault.name);
    clusterBefore = clusterSnapshot(h, 'feathr-aks');
    const { outcome, events } = await h.run(config, 'apply');
    expect(events.filter((e) => e.type === 'step.failed')).toEqual([]);
    expect(outcome.exitCode).toBe(0);
    secretsAfterInstall = vaultSecrets(h, config.vault.name);
  }, 60_000);
  afterAll(async () => h.close());

  it('records what Azure cannot tag in the vault ledger, and marks the add-on it enabled', () => {
    const vault = [...h.sandbox.state.resources.values()].find(
      (r) => r.type === 'Microsoft.KeyVault/vaults' && r.name === config.vault.name,
    )!;
    expect(vault.tags).toMatchObject({
      'managed-by': 'feathr-kv-setup',
      'feathr-kv-setup.subnet.kv-endpoints': 'feathr-rg/shared-vnet 10.20.1.0/24',
      'feathr-kv-setup.peering.aks-vnet-to-shared-vnet': 'feathr-rg/aks-vnet>feathr-rg/shared-vnet',
      'feathr-kv-setup.peering.shared-vnet-to-aks-vnet': 'feathr-rg/shared-vnet>feathr-rg/aks-vnet',
    });
    const cluster = [...h.sandbox.state.resources.values()].find(
      (r) => r.type.toLowerCase() === 'microsoft.containerservice/managedclusters',
    )!;
    expect(cluster.tags).toEqual({ 'feathr-kv-setup.addon-enabled': 'true' });
  });

  it('plans the removals with - marks, cluster side first, and --dry-run writes nothing', async () => {
    const before = writes(h).length;
    const { outcome } = await uninstall(h, config, { mode: 'dry-run' });
    expect(writes(h).length).toBe(before);
    const plan = lines(outcome);
    for (const line of [
      'remove-feathr-release - Helm release feathr/feathr-online (context feathr-aks)',
      'remove-synced-objects - Secret feathr/feathr-online-secrets (context feathr-aks)',
      'remove-namespace - namespace feathr (context feathr-aks)',
      'disable-aks-addon - AKS cluster feathr-aks addon azureKeyvaultSecretsProvider',
      'remove-zone-group - zone group feathr-kv-demo-pe/default',
      'remove-private-endpoint - private endpoint feathr-kv-demo-pe',
      'remove-dns-zone - private DNS zone privatelink.vaultcore.azure.net',
      'remove-subnet - subnet shared-vnet/kv-endpoints',
      'remove-peerings - peering aks-vnet/aks-vnet-to-shared-vnet',
      'remove-peerings - peering shared-vnet/shared-vnet-to-aks-vnet',
    ])
      expect(plan).toContain(line);
    expect(plan.filter((l) => l.startsWith('remove-role-assignments -'))).toHaveLength(2);
    expect(plan.filter((l) => l.startsWith('remove-dns-links -'))).toHaveLength(2);
    const roles = outcome.plan.steps.find((s) => s.stepId === 'remove-role-assignments')!;
    expect(roles.dependsOn).toEqual(expect.arrayContaining(['remove-namespace']));
    expect(JSON.stringify(outcome.plan)).not.toMatch(/vault feathr-kv-demo and its secrets|purge/);
  });

  it('without --yes and without a terminal, stops before any change', async () => {
    const before = writes(h).length;
    await expect(uninstall(h, config, { yes: false })).rejects.toThrow(
      /no terminal to approve them: nothing was changed/,
    );
    expect(writes(h).length).toBe(before);
  });

  it('keeps a role assignment and a DNS link someone else made, and the zone they use', async () => {
    const azure = createAzureClients(h.connection);
    const ctx = { azure, signal: new AbortController().signal };
    const scope = vaultId(azure, 'feathr-rg', config.vault.name);
    await azure.authorization.roleAssignments.create(scope.slice(1), '11111111-2222-4333-8444-555555555555', {
      roleDefinitionId: `/subscriptions/${azure.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${ROLE.keyVaultSecretsUser}`,
      principalId: SP_OBJECT_ID,
      principalType: 'ServicePrincipal',
      description: 'granted by the platform team',
    });
    await azure.privateDns.virtualNetworkLinks.beginCreateOrUpdateAndWait(
      'feathr-rg',
      'privatelink.vaultcore.azure.net',
      'platform-link',
      {
        location: 'global',
        virtualNetwork: {
          id: `/subscriptions/${azure.subscriptionId}/resourceGroups/feathr-rg/providers/Microsoft.Network/virtualNetworks/overlap-vnet`,
        },
        registrationEnabled: false,
      },
      { updateIntervalInMs: 2 },
    );

    const { outcome, events } = await uninstall(h, config);
    expect(events.filter((e) => e.type === 'step.failed')).toEqual([]);
    expect(outcome.exitCode).toBe(0);
    const remaining = await listAssignments(ctx, scope);
    expect(remaining.filter((a) => a.scope?.toLowerCase() === scope.toLowerCase()).map((a) => a.description)).toEqual([
      'granted by the platform team',
    ]);
    const links = [];
    for await (const l of azure.privateDns.virtualNetworkLinks.list('feathr-rg', 'privatelink.vaultcore.azure.net'))
      links.push(l.name);
    expect(links).toEqual(['platform-link']);
    expect(outcome.plan.steps.find((s) => s.stepId === 'remove-dns-zone')!.changes).toEqual([
      expect.objectContaining({ mark: '=', reason: 'made by this tool, but also used by link platform-link' }),
    ]);
    expect(vaultSecrets(h, config.vault.name)).toEqual(secretsAfterInstall);

    // Once the platform team removes theirs, the next uninstall finishes the zone.
    await azure.authorization.roleAssignments.delete(scope.slice(1), '11111111-2222-4333-8444-555555555555');
    await azure.privateDns.virtualNetworkLinks.beginDeleteAndWait(
      'feathr-rg',
      'privatelink.vaultcore.azure.net',
      'platform-link',
      { updateIntervalInMs: 2 },
    );
    const again = await uninstall(h, config);
    expect(lines(again.outcome).filter((l) => l.includes(' - '))).toEqual([
      'remove-dns-zone - private DNS zone privatelink.vaultcore.azure.net',
    ]);
    void assignRole;
  }, 30_000);

  it('leaves ARM and the cluster as before the install, except the vault and its secrets', () => {
    expect(armSnapshot(h, config.vault.name)).toEqual(armBefore);
    expect(clusterSnapshot(h, 'feathr-aks')).toEqual(clusterBefore);
    expect(vaultSecrets(h, config.vault.name)).toEqual(secretsAfterInstall);
    const vault = [...h.sandbox.state.resources.values()].find(
      (r) => r.type === 'Microsoft.KeyVault/vaults' && r.name === config.vault.name,
    )!;
    expect(Object.keys(vault.tags ?? {})).toEqual(['managed-by']);
  });

  it('writes nothing on a second uninstall', async () => {
    const before = writes(h);
    const { outcome } = await uninstall(h, config);
    expect(outcome.plan.isEmpty).toBe(true);
    expect(writes(h)).toEqual(before);
  });
});
