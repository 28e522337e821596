/**
 * End to end in the sandbox: presets/other-cloud-allowlist.yaml (csi.install: helm, service
 * principal), Azure and cluster steps together. The driver goes in with sync on, Feathr's
 * release is deployed, the cluster shows the SecretProviderClass and the synced keys (names
 * only), and a second run writes nothing to ARM or to the cluster.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPreset } from '../../source/config/load-preset.js';
import type { SetupConfig } from '../../source/config/setup-config.js';
import { describeClusters } from '../../source/sandbox/cluster/describe.js';
import { legacyFeathrSecretData } from '../../source/sandbox/cluster/default-clusters.js';
import { SP_ENV, startKubeHarness, type KubeHarness } from '../steps/kube-harness.js';

const ENVS = Object.keys(legacyFeathrSecretData()).sort();

async function presetConfig(): Promise<SetupConfig> {
  const config = await loadPreset('presets/other-cloud-allowlist.yaml');
  return {
    ...config,
    csi: { ...config.csi, install: 'helm' },
    // The sandbox's service principal (the preset's placeholder app isn't in the default world).
    identity: {
      mode: 'service-principal',
      servicePrincipal: {
        clientId: '00000000-0000-0000-0000-00000000b002',
        objectId: '00000000-0000-0000-0000-00000000b001',
        clientSecretEnv: 'FEATHR_SP_SECRET',
      },
    },
  };
}

function eks(h: KubeHarness): any {
  return describeClusters(h.sandbox.state).clusters.find((c) => c.context === 'feathr-eks');
}

describe('other-cloud preset with csi.install helm, in the sandbox', () => {
  let h: KubeHarness;
  let config: SetupConfig;
  beforeAll(async () => {
    h = await startKubeHarness();
    config = await presetConfig();
  });
  afterAll(async () => h.close());

  it('plans the cluster changes under the confirmed kube context, before any write', async () => {
    const { outcome } = await h.run(config, 'plan');
    expect(outcome.exitCode).toBe(2);
    const lines = outcome.plan.steps.flatMap((s) => s.changes.map((c) => `${s.stepId} ${c.mark} ${c.resource}`));
    expect(lines).toContain('kube-context = kube context feathr-eks');
    expect(lines).toContain(
      'csi-driver + Helm release kube-system/csi-secrets-store-provider-azure (context feathr-eks)',
    );
    expect(lines).toContain('feathr-namespace + namespace feathr (context feathr-eks)');
    expect(lines).toContain('sp-credentials-secret + Secret feathr/secrets-store-creds (context feathr-eks)');
    expect(lines).toContain('feathr-release + Helm release feathr/feathr-online (context feathr-eks)');
    expect(JSON.stringify(outcome.plan)).not.toContain(SP_ENV.FEATHR_SP_SECRET);
    expect(h.clusterWrites()).toEqual([]);
    expect(h.armWrites()).toBe(0);
  });

  it('installs the driver with sync on, the release, the SecretProviderClass and the synced keys', async () => {
    const { outcome, events } = await h.run(config, 'apply');
    expect(events.filter((e) => e.type === 'step.failed')).toEqual([]);
    expect(outcome.exitCode).toBe(0);
    const cluster = eks(h);

    expect(cluster.csiDriver).toMatchObject({
      installedBy: 'helm',
      syncSecretEnabled: true,
      rotationEnabled: true,
      helmRelease: { name: 'csi-secrets-store-provider-azure', namespace: 'kube-system' },
    });
    const releases = cluster.helmReleases.map((r: any) => `${r.namespace}/${r.name} ${r.status}`);
    expect(releases.sort()).toEqual([
      'feathr/feathr-online deployed',
      'kube-system/csi-secrets-store-provider-azure deployed',
    ]);

    const feathr = cluster.namespaces.find((n: any) => n.name === 'feathr');
    expect(feathr.labels).toMatchObject({ 'app.kubernetes.io/managed-by': 'feathr-kv-setup' });
    const spc = feathr.secretProviderClasses.find((s: any) => s.name === 'feathr-online-kv');
    expect(spc.spec.parameters).toMatchObject({ keyvaultName: 'feathr-kv-eks', tenantID: h.sandbox.tenantId });
    expect(spc.spec.parameters.objects).toContain('objectName: CONN-STR');
    expect(spc.spec.parameters.objects).toContain('objectAlias: CONN_STR');
    expect(spc.labels).toMatchObject({
      'app.kubernetes.io/created-by': 'feathr-kv-setup',
      'app.kubernetes.io/managed-by': 'Helm',
    });

    const secrets = Object.fromEntries(feathr.secrets.map((s: any) => [s.name, s]));
    expect(secrets['feathr-online-secrets'].keys).toEqual(ENVS);
    expect(secrets['secrets-store-creds'].keys).toEqual(['clientid', 'clientsecret']);
    expect(secrets['secrets-store-creds'].labels).toMatchObject({
      'secrets-store.csi.k8s.io/used': 'true',
      'app.kubernetes.io/managed-by': 'feathr-kv-setup',
    });

    // Neither the release values nor any event carries a secret value.
    const dump = JSON.stringify({ cluster, events });
    for (const value of [...Object.values(legacyFeathrSecretData()), SP_ENV.FEATHR_SP_SECRET])
      expect(dump).not.toContain(value);
    const raw = JSON.stringify(await h.kube('feathr-eks').helmValues('feathr-online', 'feathr'));
    for (const value of [...Object.values(legacyFeathrSecretData()), SP_ENV.FEATHR_SP_SECRET])
      expect(raw).not.toContain(value);
    const release = cluster.helmReleases.find((r: any) => r.name === 'feathr-online');
    expect(release.values.keyVault.identity).toEqual({
      mode: 'servicePrincipal',
      nodePublishSecretRef: 'secrets-store-creds',
    });
  });

  it('writes nothing to ARM or the cluster on a second run', async () => {
    const arm = h.armWrites();
    const cluster = h.clusterWrites().length;
    const plan = await h.run(config, 'plan');
    expect(plan.outcome.exitCode).toBe(0);
    const again = await h.run(config, 'apply');
    expect(again.outcome.exitCode).toBe(0);
    expect(again.outcome.applied?.verified.find((v) => v.stepId === 'feathr-release')?.summary).toBe(
      'Release feathr/feathr-online deployed (revision 1): SecretProviderClass feathr-online-kv, Secret feathr-online-secrets synced with 8 keys',
    );
    expect(h.armWrites()).toBe(arm);
    expect(h.clusterWrites().slice(cluster)).toEqual([]);
  });
});
