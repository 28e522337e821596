/**
 * The kv-monitor through the Feathr release step: the preset's feathr.monitor becomes the
 * chart's monitor values (with the fixes check would print), and the plan shows the CronJob
 * when it comes or goes.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SetupConfig } from '../../source/config/setup-config.js';
import { diagnoseText } from '../../source/checks/diagnose.js';
import { feathrReleaseStep } from '../../source/steps/feathr-release.js';
import { desiredValues } from '../../source/steps/feathr-release-values.js';
import { startKubeHarness, type KubeHarness } from './kube-harness.js';
import { RELEASE_CONFIG, installDirectly } from './feathr-release-fixtures.js';
import { removeMonitorJobsStep } from '../../source/removals/monitor-jobs.js';
import { kubectl } from '../helpers/kube-tools.js';

const CONFIG: SetupConfig = {
  ...RELEASE_CONFIG,
  csi: { install: 'helm', rotation: { enabled: true, pollInterval: '3m' } },
};
const withMonitor = (
  monitor: NonNullable<SetupConfig['feathr']>['monitor'],
  values?: Record<string, unknown>,
): SetupConfig => ({ ...CONFIG, feathr: { monitor, ...(values ? { values } : {}) } });

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

    await installDirectly(h.stepContext({ ...CONFIG, feathr: { values: { replicaCount: 0 } } }));
    const later = await feathrReleaseStep.plan(h.stepContext(withMonitor({ enabled: true }, { replicaCount: 0 })));
    expect(later.changes.map((c) => `${c.mark} ${c.resource}${c.field ? ` ${c.field}` : ''}`)).toEqual([
      '+ CronJob feathr/feathr-online-kv-monitor (context feathr-eks)',
    ]);

    await installDirectly(h.stepContext(withMonitor({ enabled: true }, { replicaCount: 0 })));
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

  it("leaves the monitor's runs of a release this tool didn't make to uninstall, which keeps that release", async () => {
    // Someone else's release: the same chart, without this tool's created-by label.
    await installDirectly(
      h.stepContext(withMonitor({ enabled: true })),
      ({ commonLabels: _ours, ...theirs }) => theirs,
    );
    await kubectl(h.sandbox, 'feathr-eks', [
      'create',
      'job',
      'theirs',
      '--from=cronjob/feathr-online-kv-monitor',
      '-n',
      'feathr',
    ]);
    const planned = await removeMonitorJobsStep.plan(h.stepContext(CONFIG));
    expect(planned.changes.map((c) => `${c.mark} ${c.resource}`)).toEqual([
      '= kv-monitor Jobs of Helm release feathr/feathr-online (context feathr-eks)',
    ]);
  });
});
