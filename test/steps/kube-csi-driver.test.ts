/**
 * The CSI driver step against the sandbox's clusters: installed once with sync on, an earlier
 * release with sync off upgraded in place (never a second release), and blocked with the fix
 * when the chosen mode can't be honoured.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SetupConfig } from '../../source/config/setup-config.js';
import { csiDriverInstallRequest } from '../../source/kube/csi-install.js';
import { csiDriverStep } from '../../source/steps/csi-driver.js';
import { startKubeHarness, type KubeHarness } from './kube-harness.js';
import { releases } from '../helpers/cluster-peek.js';

function config(
  context: 'feathr-eks' | 'feathr-aks',
  install: 'helm' | 'existing' | 'aks-addon',
  rotation = true,
): SetupConfig {
  return {
    target: context === 'feathr-eks' ? 'other-cloud' : 'azure',
    azure: { subscriptionId: '00000000-0000-0000-0000-00000000feed', resourceGroup: 'feathr-rg', location: 'eastus' },
    vault: { name: 'feathr-kv-eks' },
    cluster: {
      kubeContext: context,
      ...(context === 'feathr-aks' ? { aks: { resourceGroup: 'feathr-rg', name: 'feathr-aks' } } : {}),
    },
    csi: { install, rotation: { enabled: rotation, pollInterval: '2m' } },
  };
}

function providerReleases(h: KubeHarness, context: string): string[] {
  return releases(h.sandbox, context).map((r) => `${r.namespace}/${r.name} r${r.revision}`);
}

describe('csi-driver step', () => {
  let h: KubeHarness;
  beforeEach(async () => {
    h = await startKubeHarness();
  });
  afterEach(async () => h.close());

  it('installs the provider chart into kube-system with sync and rotation on, then plans no change', async () => {
    const ctx = h.stepContext(config('feathr-eks', 'helm'));
    const planned = await csiDriverStep.plan(ctx);
    expect(planned.action).toBe('create');
    expect(planned.changes[0]).toMatchObject({
      mark: '+',
      resource: 'Helm release kube-system/csi-secrets-store-provider-azure (context feathr-eks)',
    });
    await csiDriverStep.apply(ctx, planned);
    expect(await csiDriverStep.verify(ctx)).toBe('CSI driver ready (helm): secret sync on, rotation on, on 2/2 nodes');
    const values = await ctx.kube!.helmValues('csi-secrets-store-provider-azure', 'kube-system');
    expect(values).toMatchObject({
      'secrets-store-csi-driver': {
        syncSecret: { enabled: true },
        enableSecretRotation: true,
        rotationPollInterval: '2m',
      },
    });

    const again = await csiDriverStep.plan(ctx);
    expect(again.action).toBe('no-op');
    expect(providerReleases(h, 'feathr-eks')).toEqual(['kube-system/csi-secrets-store-provider-azure r1']);
  });

  it('upgrades an existing release with sync off in place, keeping its other values', async () => {
    const ctx = h.stepContext(config('feathr-eks', 'helm', false));
    const earlier = csiDriverInstallRequest({ repoUrl: h.sandbox.chartRepo, version: '1.8.2' }, { release: 'csi' });
    await ctx.kube!.helmUpgradeInstall({
      ...earlier,
      values: {
        'secrets-store-csi-driver': { syncSecret: { enabled: false }, linux: { priorityClassName: 'x' } },
        logVerbosity: 2,
      },
    });

    const planned = await csiDriverStep.plan(ctx);
    expect(planned.changes).toEqual([
      {
        mark: '~',
        resource: 'Helm release kube-system/csi (context feathr-eks)',
        field: 'secrets-store-csi-driver.syncSecret.enabled',
        from: 'false',
        to: 'true',
        reason:
          'env vars need the synced Secret; upgraded in place with its own chart csi-secrets-store-provider-azure-1.8.2, never installed twice',
      },
    ]);
    await csiDriverStep.apply(ctx, planned);
    expect(providerReleases(h, 'feathr-eks')).toEqual(['kube-system/csi r2']);
    expect(await ctx.kube!.helmValues('csi', 'kube-system')).toEqual({
      'secrets-store-csi-driver': { syncSecret: { enabled: true }, linux: { priorityClassName: 'x' } },
      logVerbosity: 2,
    });
  });

  it('waits, bounded, for a driver that registers after the step applied', async () => {
    const progress: string[] = [];
    const ctx = {
      ...h.stepContext(config('feathr-eks', 'existing')),
      pollIntervalMs: 5,
      waitTimeoutMs: 5_000,
      progress: (m: string) => void progress.push(m),
    };
    const verified = csiDriverStep.verify(ctx);
    // Install only once the step has seen the driver missing and started waiting.
    await vi.waitFor(() => expect(progress.length).toBeGreaterThan(0), { timeout: 5_000, interval: 5 });
    await h
      .kube('feathr-eks')
      .helmUpgradeInstall(csiDriverInstallRequest({ repoUrl: h.sandbox.chartRepo, version: '1.8.2' }));
    expect(await verified).toBe('CSI driver ready (helm): secret sync on, rotation off, on 2/2 nodes');
    expect(progress[0]).toBe(
      "Waiting for the CSI driver on feathr-eks: The CSI driver secrets-store.csi.k8s.io isn't registered on kube context feathr-eks.",
    );

    const gone = { ...h.stepContext(config('feathr-aks', 'aks-addon')), pollIntervalMs: 5, waitTimeoutMs: 40 };
    await expect(csiDriverStep.verify(gone)).rejects.toThrow(
      "The CSI driver secrets-store.csi.k8s.io isn't registered on kube context feathr-aks.",
    );
  });

  it.each([
    {
      name: 'existing, but no driver',
      setup: async () => {},
      cfg: config('feathr-eks', 'existing'),
      reason: "There's no Secrets Store CSI driver on kube context feathr-eks, and csi.install is existing.",
      hint: 'helm install csi-secrets-store-provider-azure csi-secrets-store-provider-azure --repo SANDBOX_REPO --version 1.8.2 -n kube-system --kube-context feathr-eks --set secrets-store-csi-driver.syncSecret.enabled=true',
    },
    {
      name: 'existing, with sync off',
      setup: (h: KubeHarness) =>
        h
          .kube('feathr-eks')
          .helmUpgradeInstall({
            ...csiDriverInstallRequest({ repoUrl: h.sandbox.chartRepo, version: '1.8.2' }, { release: 'csi' }),
            values: {},
          })
          .then(() => {}),
      cfg: config('feathr-eks', 'existing'),
      reason: "The CSI driver on kube context feathr-eks has secret sync off, so Feathr's env vars would never appear.",
      hint: 'helm upgrade csi csi-secrets-store-provider-azure --repo SANDBOX_REPO --version 1.8.2 -n kube-system --kube-context feathr-eks --reuse-values --set secrets-store-csi-driver.syncSecret.enabled=true',
    },
    {
      name: 'aks-addon, but a Helm release already brought the driver',
      setup: (h: KubeHarness) =>
        h
          .kube('feathr-aks')
          .helmUpgradeInstall(
            csiDriverInstallRequest({ repoUrl: h.sandbox.chartRepo, version: '1.8.2' }, { release: 'csi' }),
          )
          .then(() => {}),
      cfg: config('feathr-aks', 'aks-addon'),
      reason:
        'The CSI driver is already installed by Helm release kube-system/csi; the AKS add-on would install it a second time.',
      hint: 'helm uninstall csi -n kube-system --kube-context feathr-aks',
    },
  ])('blocks when $name, with the fix', async ({ setup, cfg, reason, hint }) => {
    await setup(h);
    const planned = await csiDriverStep.plan(h.stepContext(cfg));
    expect(planned.action).toBe('blocked');
    expect(planned.blockedReason).toBe(reason);
    expect(planned.hint).toContain(hint.replace('SANDBOX_REPO', h.sandbox.chartRepo));
  });
});
