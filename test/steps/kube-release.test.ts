/**
 * The Feathr release step against the sandbox cluster: a release stuck in pending-* blocks the
 * plan with the command that frees it, drifted values show as ~ per field, and a failed
 * `--wait` comes back as the pods' own reason.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setReleaseStatus } from '../../source/sandbox/cluster/helm-storage.js';
import { feathrReleaseStep } from '../../source/steps/feathr-release.js';
import { csiDriverInstallRequest } from '../../source/kube/csi-install.js';
import { startKubeHarness, type KubeHarness } from './kube-harness.js';
import { RELEASE_CONFIG, installDirectly } from './feathr-release-fixtures.js';

const CONFIG = RELEASE_CONFIG;

describe('feathr-release step', () => {
  let h: KubeHarness;
  beforeEach(async () => {
    h = await startKubeHarness();
  });
  afterEach(async () => h.close());

  it.each([
    {
      status: 'pending-upgrade' as const,
      upgrades: 1,
      fix: 'helm rollback feathr-online 1 -n feathr --kube-context feathr-eks, then run again.',
    },
    {
      status: 'pending-install' as const,
      upgrades: 0,
      fix: 'helm uninstall feathr-online -n feathr --kube-context feathr-eks, then run again.',
    },
  ])('blocks a release stuck in $status with the command that frees it', async ({ status, upgrades, fix }) => {
    const ctx = h.stepContext(CONFIG);
    await installDirectly(ctx);
    for (let i = 0; i < upgrades; i += 1) await installDirectly(ctx);
    setReleaseStatus(h.sandbox.state.clusters.get('feathr-eks')!, 'feathr-online', 'feathr', status, Date.now());
    // A later run (its own port, which hasn't read the release yet) meets the stuck release.
    const planned = await feathrReleaseStep.plan(h.stepContext(CONFIG));
    expect(planned.action).toBe('blocked');
    expect(planned.blockedReason).toBe(
      `Helm release feathr/feathr-online is stuck in ${status}: an earlier helm run was interrupted.`,
    );
    expect(planned.hint).toBe(fix);
  });

  it('shows drifted values as one ~ per field, and no change once they match', async () => {
    const ctx = h.stepContext(CONFIG);
    await installDirectly(ctx, (v) => ({ ...v, keyVault: { ...(v.keyVault as object), name: 'feathr-kv-other' } }));
    const planned = await feathrReleaseStep.plan(ctx);
    expect(planned.changes.map((c) => `${c.mark} ${c.field}`)).toEqual(['~ keyVault.name', '~ replicaCount']);
    const matching = await feathrReleaseStep.plan(
      h.stepContext({ ...CONFIG, feathr: { values: { replicaCount: 0 } } }),
    );
    expect(matching.changes.map((c) => c.mark)).toEqual(['~']);
    await installDirectly(ctx);
    const after = await feathrReleaseStep.plan(h.stepContext({ ...CONFIG, feathr: { values: { replicaCount: 0 } } }));
    expect(after.action).toBe('no-op');
  });

  it("turns a failed --wait into the pods' FailedMount reason, then plans the upgrade again", async () => {
    // The driver is there, but vault feathr-kv-eks doesn't exist: the pod can't mount, so
    // helm's --wait times out and the FailedMount event says why.
    const ctx = { ...h.stepContext(CONFIG), waitTimeoutMs: 2_000 };
    await ctx.kube!.helmUpgradeInstall(
      csiDriverInstallRequest({ repoUrl: ctx.config.csi!.chartRepo!, version: '1.8.2' }),
    );
    await ctx.kube!.ensureNamespace('feathr');
    await ctx.kube!.applySecret(
      'feathr',
      'secrets-store-creds',
      { clientid: '00000000-0000-0000-0000-00000000b002', clientsecret: 'sandbox-feathr-sp-secret' },
      { 'secrets-store.csi.k8s.io/used': 'true' },
    );
    const planned = await feathrReleaseStep.plan(ctx);
    const failure = await feathrReleaseStep.apply(ctx, planned).then(
      () => undefined,
      (error: unknown) => error as { message: string; details?: string[] },
    );
    expect(failure?.message).toMatch(
      /^Feathr's pods didn't become ready in namespace feathr: .*context deadline exceeded/,
    );
    expect(failure?.details?.join('\n')).toContain(
      'FailedMount: MountVolume.SetUp failed for volume "secrets-store" : rpc error: code = Unknown desc = failed to mount secrets store objects for pod feathr/feathr-online-',
    );
    expect(failure?.details?.join('\n')).toContain('feathr-kv-eks.vault.azure.net');
    const next = await feathrReleaseStep.plan(ctx);
    expect(next.changes[0]).toMatchObject({ mark: '~', field: 'status', from: 'failed', to: 'deployed' });
  });
});
