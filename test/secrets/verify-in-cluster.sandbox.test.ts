/**
 * Verification where the operator can't read the vault: after the aks-private-endpoint setup
 * (public access disabled), the sandbox's probe pod mounts the SecretProviderClass and
 * reports a sha256 per object, computed "in the pod"; verifyInCluster compares them with
 * digests of the source values computed here. A value changed in the vault behind our back
 * shows up as a mismatch, by name only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPreset } from '../../source/config/load-preset.js';
import type { SetupConfig } from '../../source/config/setup-config.js';
import { addSecretVersion } from '../../source/sandbox/keyvault/secret-store.js';
import type { SecretEntry } from '../../source/secrets/secret-entry.js';
import { verifyInCluster } from '../../source/secrets/verify.js';
import { startKubeHarness, type KubeHarness } from '../steps/kube-harness.js';

describe('in-cluster digest verification', () => {
  let h: KubeHarness;
  let config: SetupConfig;
  let entries: SecretEntry[];
  const spec = {
    namespace: 'feathr',
    hostNetwork: true,
    vaultName: 'feathr-kv-demo',
    secretProviderClass: 'feathr-online-kv',
  };

  beforeAll(async () => {
    h = await startKubeHarness();
    config = await loadPreset('presets/aks-private-endpoint.yaml');
    const { outcome } = await h.run(config, 'apply');
    expect(outcome.exitCode).toBe(0);
    const legacy = (await h.kube('feathr-aks').readSecret('legacy', 'feathr-online-secret'))!;
    entries = Object.entries(legacy).map(([env, value]) => ({
      env,
      vaultName: env.replaceAll('_', '-'),
      source: 'legacy',
      value,
    }));
  });
  afterAll(async () => h?.close());

  it('matches every object mounted in the pod with the local digest', async () => {
    const report = await verifyInCluster(h.kube('feathr-aks'), spec, entries);
    expect(report).toMatchObject({ method: 'in-cluster digest', checked: 8, mismatched: [], missing: [] });
  });

  it('names a secret whose vault value no longer equals its source', async () => {
    addSecretVersion(h.sandbox.state, 'feathr-kv-demo', 'CONN-STR', 'changed behind our back', {
      nowSeconds: Math.floor(Date.now() / 1000),
    });
    const report = await verifyInCluster(h.kube('feathr-aks'), spec, entries);
    expect(report.mismatched).toEqual(['CONN_STR']);
    expect(JSON.stringify(report)).not.toContain(entries[0]!.value);
  });

  it('reports every object missing when the mount fails', async () => {
    const report = await verifyInCluster(
      h.kube('feathr-aks'),
      { ...spec, secretProviderClass: 'no-such-spc' },
      entries,
    );
    expect(report.missing).toHaveLength(8);
    expect(report.mountError).toBeTruthy();
  });
});
