/**
 * The azure topology end to end against the in-process sandbox, through the real SDKs:
 * plan/dry-run write nothing, apply builds the RFC's architecture (read back through ARM),
 * a second run writes nothing, and an overlapping peering is refused in the plan.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAzureClients } from '../../source/azure/clients.js';
import { ROLE } from '../../source/azure/roles.js';
import { renderPlanText } from '../../source/kernel/plan-render.js';
import { azureConfig, startHarness, type Harness } from './helpers/sandbox-run.js';

describe('azure topology (aks-private-endpoint)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h.close());

  it('refuses to peer aks-vnet with overlap-vnet in the plan, naming both ranges, before any write', async () => {
    const config = azureConfig({
      vault: { name: 'feathr-kv-overlap', create: true, permissionModel: 'rbac' },
      network: { privateEndpoint: { vnet: 'overlap-vnet', subnet: 'kv-endpoints', addressPrefix: '10.10.200.0/24' } },
    });
    for (const mode of ['plan', 'apply'] as const) {
      // The preflight check inputs.address-space refuses it now, before the plan is made.
      await expect(h.run(config, mode)).rejects.toThrow(
        "AKS VNet aks-vnet (10.10.0.0/16) overlaps VNet overlap-vnet (10.10.0.0/16), so they can't be peered",
      );
    }
    expect(h.writes()).toEqual([]);
  });

  it('plans and dry-runs a fresh world without a single write', async () => {
    const plan = await h.run(azureConfig(), 'plan');
    expect(plan.outcome.exitCode).toBe(2);
    const text = renderPlanText(plan.outcome.plan);
    expect(text).toContain(
      '+ private endpoint feathr-kv-demo-pe: shared-vnet/kv-endpoints (groupId vault, in eastus like its VNet)',
    );
    expect(text).toContain('~ vault feathr-kv-demo publicNetworkAccess: Enabled -> Disabled');
    const dry = await h.run(azureConfig(), 'dry-run');
    expect(dry.outcome.exitCode).toBe(0);
    expect(h.writes()).toEqual([]);
  });

  it('applies the private-endpoint architecture, as read back through ARM', async () => {
    const { outcome, events } = await h.run(azureConfig(), 'apply');
    expect(outcome.exitCode).toBe(0);
    expect(outcome.applied?.verified.map((v) => v.stepId)).toHaveLength(outcome.plan.steps.length);
    expect(events.filter((e) => e.type === 'step.failed')).toEqual([]);

    const arm = createAzureClients(h.connection);
    const vault = await arm.keyVault.vaults.get('feathr-rg', 'feathr-kv-demo');
    expect(vault.properties.publicNetworkAccess).toBe('Disabled');
    expect(vault.properties.enableRbacAuthorization).toBe(true);
    expect(vault.tags).toMatchObject({ 'managed-by': 'feathr-kv-setup' });

    const pe = await arm.network.privateEndpoints.get('feathr-rg', 'feathr-kv-demo-pe');
    expect(pe.subnet?.id?.toLowerCase()).toMatch(/virtualnetworks\/shared-vnet\/subnets\/kv-endpoints$/);
    expect(pe.privateLinkServiceConnections?.[0]?.groupIds).toEqual(['vault']);
    const peIp = pe.customDnsConfigs?.[0]?.ipAddresses?.[0] ?? pe.ipConfigurations?.[0]?.privateIPAddress;
    expect(peIp).toMatch(/^10\.20\.1\./);

    const record = await arm.privateDns.recordSets.get(
      'feathr-rg',
      'privatelink.vaultcore.azure.net',
      'A',
      'feathr-kv-demo',
    );
    expect(record.aRecords?.map((a) => a.ipv4Address)).toEqual([peIp]);

    const links: string[] = [];
    for await (const l of arm.privateDns.virtualNetworkLinks.list('feathr-rg', 'privatelink.vaultcore.azure.net'))
      links.push(l.virtualNetwork?.id?.split('/').pop() ?? '');
    expect(links.sort()).toEqual(['aks-vnet', 'shared-vnet']);

    const there = await arm.network.virtualNetworkPeerings.get('feathr-rg', 'aks-vnet', 'aks-vnet-to-shared-vnet');
    const back = await arm.network.virtualNetworkPeerings.get('feathr-rg', 'shared-vnet', 'shared-vnet-to-aks-vnet');
    expect([there.peeringState, back.peeringState]).toEqual(['Connected', 'Connected']);

    const cluster = await arm.containerService.managedClusters.get('feathr-rg', 'feathr-aks');
    const addon = cluster.addonProfiles?.['azureKeyvaultSecretsProvider'];
    expect(addon?.enabled).toBe(true);
    expect(addon?.config).toMatchObject({ enableSecretRotation: 'true', rotationPollInterval: '2m' });

    const assignments = [];
    for await (const a of arm.authorization.roleAssignments.listForScope(vault.id!.replace(/^\//, '')))
      assignments.push(a);
    const reader = assignments.find((a) => a.principalId === addon?.identity?.objectId);
    expect(reader?.roleDefinitionId?.toLowerCase()).toContain(ROLE.keyVaultSecretsUser);
    expect(reader?.principalType).toBe('ServicePrincipal');
  });

  it('changes nothing on a second run: plan exits 0 and apply makes zero write requests', async () => {
    const before = h.writes().length;
    const plan = await h.run(azureConfig(), 'plan');
    expect(plan.outcome.exitCode).toBe(0);
    expect(plan.outcome.plan.isEmpty).toBe(true);
    const again = await h.run(azureConfig(), 'apply');
    expect(again.outcome.exitCode).toBe(0);
    expect(h.writes().slice(before)).toEqual([]);
  });
});
