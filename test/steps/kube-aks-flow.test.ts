/**
 * presets/aks-private-endpoint.yaml end to end in the sandbox: the add-on brings the driver,
 * the release is deployed with the add-on identity's clientId (useVMManagedIdentity), and the
 * pods mount through the private endpoint after public access is off.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPreset } from '../../source/config/load-preset.js';
import { createAzureClients } from '../../source/azure/clients.js';
import type { SetupConfig } from '../../source/config/setup-config.js';
import { describeClusters } from '../../source/sandbox/cluster/describe.js';
import { startKubeHarness, type KubeHarness } from './kube-harness.js';

describe('aks-private-endpoint preset with the cluster steps, in the sandbox', () => {
  let h: KubeHarness;
  let config: SetupConfig;
  beforeAll(async () => {
    h = await startKubeHarness();
    config = await loadPreset('presets/aks-private-endpoint.yaml');
  });
  afterAll(async () => h.close());

  it('plans the release before the add-on identity exists, saying where its clientId comes from', async () => {
    const { outcome } = await h.run(config, 'plan');
    const release = outcome.plan.steps.find((s) => s.stepId === 'feathr-release')!;
    expect(release.changes).toEqual([
      expect.objectContaining({
        mark: '+',
        resource: 'Helm release feathr/feathr-online (context feathr-aks)',
        reason: expect.stringContaining("values use the add-on identity's clientId, known once the add-on is on"),
      }),
      // The preset turns the kv-monitor on: it comes with the release.
      expect.objectContaining({
        mark: '+',
        resource: 'CronJob feathr/feathr-online-kv-monitor (context feathr-aks)',
        to: '*/5 * * * *',
      }),
    ]);
    const csi = outcome.plan.steps.find((s) => s.stepId === 'csi-driver')!;
    expect(csi.action).toBe('no-op');
    expect(csi.dependsOn).toContain('aks-addon');
  });

  it('ends with the release deployed, reading the vault as the add-on identity', async () => {
    const { outcome, events } = await h.run(config, 'apply');
    expect(events.filter((e) => e.type === 'step.failed')).toEqual([]);
    expect(outcome.exitCode).toBe(0);

    const cluster = await createAzureClients(h.connection).containerService.managedClusters.get(
      'feathr-rg',
      'feathr-aks',
    );
    const clientId = cluster.addonProfiles?.['azureKeyvaultSecretsProvider']?.identity?.clientId;
    expect(clientId).toMatch(/^[0-9a-f-]{36}$/);

    const aks: any = describeClusters(h.sandbox.state).clusters.find((c) => c.context === 'feathr-aks');
    expect(aks.csiDriver).toMatchObject({ installedBy: 'aks-addon', syncSecretEnabled: true });
    expect(aks.helmReleases.map((r: any) => `${r.namespace}/${r.name} ${r.status}`)).toEqual([
      'feathr/feathr-online deployed',
    ]);
    const feathr = aks.namespaces.find((n: any) => n.name === 'feathr');
    const spc = feathr.secretProviderClasses.find((s: any) => s.name === 'feathr-online-kv');
    expect(spc.spec.parameters).toMatchObject({
      keyvaultName: 'feathr-kv-demo',
      useVMManagedIdentity: 'true',
      userAssignedIdentityID: clientId,
    });
    expect(feathr.secrets.find((s: any) => s.name === 'feathr-online-secrets').keys).toHaveLength(8);
    expect(outcome.applied?.verified.find((v) => v.stepId === 'csi-driver')?.summary).toBe(
      'CSI driver ready (aks-addon): secret sync on, rotation on, on 2/2 nodes',
    );
  });

  it('writes nothing on a second run', async () => {
    const arm = h.armWrites();
    const writes = h.clusterWrites().length;
    expect((await h.run(config, 'plan')).outcome.exitCode).toBe(0);
    expect((await h.run(config, 'apply')).outcome.exitCode).toBe(0);
    expect(h.armWrites()).toBe(arm);
    expect(h.clusterWrites().slice(writes)).toEqual([]);
  });
});
