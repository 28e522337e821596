/**
 * The kv-monitor through the Feathr release step: the preset's feathr.monitor becomes the
 * chart's monitor values (with the fixes check would print), and the plan shows the CronJob
 * when it comes or goes.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SetupConfig } from '../../source/config/setup-config.js';
import type { StepContext } from '../../source/steps/step-context.js';
import { diagnoseText } from '../../source/checks/diagnose.js';
import { feathrReleaseStep } from '../../source/steps/feathr-release.js';
import { chartDir, desiredValues } from '../../source/steps/feathr-release-values.js';
import { csiDriverInstallRequest } from '../../source/kube/csi-install.js';
import { startKubeHarness, type KubeHarness } from './kube-harness.js';

const CONFIG: SetupConfig = {
  target: 'other-cloud',
  azure: { subscriptionId: '00000000-0000-0000-0000-00000000feed', resourceGroup: 'feathr-rg', location: 'eastus' },
  vault: { name: 'feathr-kv-eks' },
  cluster: { kubeContext: 'feathr-eks' },
  csi: { install: 'helm', rotation: { enabled: true, pollInterval: '3m' } },
  identity: {
    mode: 'service-principal',
    servicePrincipal: { clientId: '00000000-0000-0000-0000-00000000b002', clientSecretEnv: 'FEATHR_SP_SECRET' },
  },
  secrets: { sources: [{ kubernetesSecret: { namespace: 'legacy', name: 'feathr-online-secret' } }] },
};
const withMonitor = (
  monitor: NonNullable<SetupConfig['feathr']>['monitor'],
  values?: Record<string, unknown>,
): SetupConfig => ({ ...CONFIG, feathr: { monitor, ...(values ? { values } : {}) } });

async function install(ctx: StepContext): Promise<void> {
  const { values } = await desiredValues(ctx);
  // The chart's SecretProviderClass needs the driver's CRDs, as on a real cluster.
  await ctx.kube!.helmUpgradeInstall(
    csiDriverInstallRequest({ repoUrl: ctx.config.csi!.chartRepo!, version: '1.8.2' }),
  );
  await ctx.kube!.ensureNamespace('feathr');
  // replicaCount 0: no pod has to mount, so this install needs no vault.
  await ctx.kube!.helmUpgradeInstall({
    release: 'feathr-online',
    namespace: 'feathr',
    chart: chartDir(ctx),
    values: { ...values!, replicaCount: 0 },
    wait: false,
    timeoutSeconds: 60,
  });
}

describe('feathr.monitor in the Feathr release', () => {
  let h: KubeHarness;
  beforeEach(async () => {
    h = await startKubeHarness();
  });
  afterEach(async () => h.close());

  it('becomes the chart values, with the fix check gives for the same cause', async () => {
    const { values } = await desiredValues(h.stepContext(withMonitor({ enabled: true })));
    const monitor = values!.monitor as { fixes: Record<string, string> } & Record<string, unknown>;
    expect(monitor).toMatchObject({
      enabled: true,
      schedule: '*/5 * * * *',
      privateEndpoint: false,
      rotationPollInterval: '3m',
    });
    // The monitor fills {address} with the address the vault saw; check's diagnosis of the
    // same 403 must then read the same.
    const fromCheck = diagnoseText('ForbiddenByFirewall Client address: 52.14.20.9', {
      vaultName: 'feathr-kv-eks',
      target: 'other-cloud',
      resourceGroup: 'feathr-rg',
    });
    expect(monitor.fixes.firewall!.replace('{address}', '52.14.20.9')).toBe(fromCheck!.fix);
    expect(Object.keys(monitor.fixes).sort()).toEqual([
      'dns',
      'firewall',
      'freshness',
      'identity',
      'network',
      'secrets',
      'token',
    ]);
    expect(JSON.stringify(monitor)).not.toMatch(/<vault-id/);
  });

  it('is absent from the values unless the preset asks, and feathr.values.monitor refines it', async () => {
    expect((await desiredValues(h.stepContext(CONFIG))).values!.monitor).toBeUndefined();
    expect((await desiredValues(h.stepContext(withMonitor({ enabled: false })))).values!.monitor).toEqual({
      enabled: false,
    });
    const refined = await desiredValues(
      h.stepContext(withMonitor({ enabled: true, schedule: '0 * * * *' }, { monitor: { keepResults: 10 } })),
    );
    expect(refined.values!.monitor).toMatchObject({ schedule: '0 * * * *', keepResults: 10, enabled: true });
  });

  it('shows in the plan when it comes with the release, comes later, or goes', async () => {
    const on = h.stepContext(withMonitor({ enabled: true, schedule: '*/10 * * * *' }));
    const fresh = await feathrReleaseStep.plan(on);
    expect(fresh.changes.map((c) => `${c.mark} ${c.resource}`)).toContain(
      '+ CronJob feathr/feathr-online-kv-monitor (context feathr-eks)',
    );
    expect(fresh.changes.find((c) => c.resource.startsWith('CronJob'))?.reason).toContain(
      'checks the path to vault feathr-kv-eks from inside the cluster on "*/10 * * * *"',
    );

    await install(h.stepContext({ ...CONFIG, feathr: { values: { replicaCount: 0 } } }));
    const later = await feathrReleaseStep.plan(h.stepContext(withMonitor({ enabled: true }, { replicaCount: 0 })));
    expect(later.changes.map((c) => `${c.mark} ${c.resource}${c.field ? ` ${c.field}` : ''}`)).toEqual([
      '+ CronJob feathr/feathr-online-kv-monitor (context feathr-eks)',
    ]);

    await install(h.stepContext(withMonitor({ enabled: true }, { replicaCount: 0 })));
    expect(
      (await feathrReleaseStep.plan(h.stepContext(withMonitor({ enabled: true }, { replicaCount: 0 })))).action,
    ).toBe('no-op');
    const schedule = await feathrReleaseStep.plan(
      h.stepContext(withMonitor({ enabled: true, schedule: '0 * * * *' }, { replicaCount: 0 })),
    );
    expect(schedule.changes.map((c) => `${c.mark} ${c.field}`)).toEqual(['~ monitor.schedule']);
    const off = await feathrReleaseStep.plan(h.stepContext(withMonitor({ enabled: false }, { replicaCount: 0 })));
    expect(off.changes.map((c) => `${c.mark} ${c.resource}`)).toEqual([
      '- CronJob feathr/feathr-online-kv-monitor (context feathr-eks)',
    ]);
  });
});
