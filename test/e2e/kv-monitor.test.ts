/**
 * The kv-monitor's acceptance, in the sandbox with the real kubectl: the shipped AKS preset
 * (monitor on) installs the CronJob; `kubectl create job --from=cronjob/...` runs it and the
 * ConfigMap holds the result; after the AKS VNet's private DNS link is deleted over ARM, the
 * next run fails, a Warning Event names the cause and the fix, and `check` shows the history.
 * No secret value appears in the ConfigMap, the Events, the Jobs' logs or the output.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadPreset } from '../../source/config/load-preset.js';
import { createAzureClients } from '../../source/azure/clients.js';
import type { SetupConfig } from '../../source/config/setup-config.js';
import { legacyFeathrSecretData } from '../../source/sandbox/cluster/default-clusters.js';
import { startKubeHarness, type KubeHarness } from '../steps/kube-harness.js';
import { kubectl } from '../helpers/kube-tools.js';
import { runCli } from '../cli/run-cli.js';
import { uninstall } from '../uninstall/helpers.js';

const NS = ['-n', 'feathr'];
let h: KubeHarness;
let config: SetupConfig;
const seen: string[] = [];
const k = async (...args: string[]) => {
  const out = await kubectl(h.sandbox, 'feathr-aks', args);
  seen.push(out);
  return out;
};

async function jobCondition(name: string): Promise<string> {
  for (let i = 0; i < 200; i += 1) {
    const job = JSON.parse(await k('get', 'job', name, ...NS, '-o', 'json')) as {
      status?: { conditions?: { type: string; status: string }[] };
    };
    const done = (job.status?.conditions ?? []).find(
      (c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True',
    );
    if (done) return done.type;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return 'still running';
}

async function results(): Promise<Record<string, any>[]> {
  const data =
    (
      JSON.parse(await k('get', 'configmap', 'feathr-online-kv-monitor', ...NS, '-o', 'json')) as {
        data?: Record<string, string>;
      }
    ).data ?? {};
  return Object.keys(data)
    .filter((key) => key.startsWith('run-'))
    .sort()
    .map((key) => ({ key, ...JSON.parse(data[key]!) }));
}

beforeAll(async () => {
  h = await startKubeHarness();
  config = await loadPreset('presets/aks-private-endpoint.yaml');
  const { outcome, events } = await h.run(config, 'apply');
  expect(events.filter((e) => e.type === 'step.failed')).toEqual([]);
  expect(outcome.exitCode).toBe(0);
}, 120_000);
afterAll(async () => h?.close());

describe('the kv-monitor in the sandbox', () => {
  it('is a CronJob of the release, and a Job made from it completes and records its run', async () => {
    expect(await k('get', 'cronjob', ...NS, '-o', 'name')).toContain('cronjob.batch/feathr-online-kv-monitor');
    await k('create', 'job', 'm1', '--from=cronjob/feathr-online-kv-monitor', ...NS);
    expect(await jobCondition('m1')).toBe('Complete');
    // The CronJob may also have run on its own schedule meanwhile (the sandbox's clock is real).
    const runs = (await results()).filter((run) => /^run-\d+-m1-\w+$/.test(run.key));
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      ok: true,
      failed: '',
      checks: { dns: 'pass', tcp: 'pass', tls: 'pass', firewall: 'pass', token: 'pass', secrets: 'pass' },
    });
    // Each Job's log is read (and kept in `seen`, as everything k prints) as soon as it ends:
    // the CronJob keeps only its last few finished Jobs, and its schedule adds its own.
    expect(await k('logs', 'job/m1', ...NS)).toContain(`Every check passed on node ${runs[0]!.node}.`);
  }, 60_000);

  it('fails the next run once the private DNS link is gone, with a Warning Event naming cause and fix', async () => {
    const azure = createAzureClients(h.connection);
    await azure.privateDns.virtualNetworkLinks.beginDeleteAndWait(
      'feathr-rg',
      'privatelink.vaultcore.azure.net',
      'aks-vnet-link',
      { updateIntervalInMs: 1 },
    );
    await k('create', 'job', 'm2', '--from=cronjob/feathr-online-kv-monitor', ...NS);
    expect(await jobCondition('m2')).toBe('Failed');
    expect(await k('logs', 'job/m2', ...NS)).toMatch(/Check \w+ failed on node /);
    const runs = (await results()).filter((run) => /^run-\d+-m2-\w+$/.test(run.key));
    expect(runs).toMatchObject([{ ok: false, failed: 'dns', checks: { dns: 'fail' } }]);
    const events = JSON.parse(
      await k('get', 'events', ...NS, '--field-selector', 'reason=KeyVaultPathBroken', '-o', 'json'),
    ) as { items: { type: string; message: string; involvedObject: { kind: string; name: string } }[] };
    expect(events.items.length).toBeGreaterThanOrEqual(1);
    const event = events.items.at(-1);
    expect(event).toMatchObject({
      type: 'Warning',
      involvedObject: { kind: 'SecretProviderClass', name: 'feathr-online-kv' },
    });
    expect(event!.message).toMatch(
      /^Check dns failed on node \S+ \(the vault sees .*\): Can't reach vault feathr-kv-demo from the cluster: it resolves to \d+\.\d+\.\d+\.\d+, a public address\. Fix: Link privatelink\.vaultcore\.azure\.net to VNet aks-vnet: az network private-dns link vnet create/,
    );
    expect(await k('describe', 'secretproviderclass', 'feathr-online-kv', ...NS)).toContain('KeyVaultPathBroken');
  }, 60_000);

  it('check shows the failure history above its live results', async () => {
    const preset = path.join(path.dirname(h.sandbox.kubeconfig), 'aks.yaml');
    const text = await (await import('node:fs/promises')).readFile('presets/aks-private-endpoint.yaml', 'utf8');
    await writeFile(preset, text);
    const run = await runCli([
      'check',
      '--preset',
      preset,
      '--sandbox-url',
      h.sandbox.url,
      '--sandbox-ca',
      h.sandbox.caFile,
    ]);
    seen.push(run.all);
    expect(run.code).toBe(1);
    const history = run.stdout.search(/Monitor history \(ConfigMap feathr\/feathr-online-kv-monitor, last \d+ runs\):/);
    expect(history, run.all).toBeGreaterThan(-1);
    expect(run.stdout).toMatch(
      /failing since \S+: the last \d+ runs? failed; \d+ of \d+ failed\n {2}last failure \S+: check dns on node \S+/,
    );
    expect(history).toBeLessThan(run.stdout.indexOf('connectivity\n'));
  }, 120_000);

  it("never shows a secret value in the ConfigMap, the Events, the Jobs' logs or the output", async () => {
    await k('get', 'configmap', 'feathr-online-kv-monitor', ...NS, '-o', 'yaml');
    await k('get', 'events', ...NS, '-o', 'yaml');
    const all = seen.join('\n');
    for (const value of Object.values(legacyFeathrSecretData())) expect(all).not.toContain(value);
    expect(all).toContain('KeyVaultPathBroken');
  });

  it('goes with the release on uninstall: no CronJob, Job, pod, ConfigMap or Role of it is left', async () => {
    // Its schedule paused: at a five-minute mark a scheduled (failing) run would otherwise push m3
    // out of the failed-runs history (failedJobsHistoryLimit 1) before the plan names it.
    await k(
      'patch',
      'cronjob',
      'feathr-online-kv-monitor',
      ...NS,
      '--type',
      'merge',
      '-p',
      '{"spec":{"suspend":true}}',
    );
    // A run still in the cluster when uninstall starts.
    await k('create', 'job', 'm3', '--from=cronjob/feathr-online-kv-monitor', ...NS);
    // And one the CronJob starts while the plan waits for approval: the plan is not stale for it.
    const startsAnother = async (): Promise<boolean> => {
      await k('create', 'job', 'm4', '--from=cronjob/feathr-online-kv-monitor', ...NS);
      return true;
    };
    const { events, outcome } = await uninstall(h, config, { yes: false, hasTTY: true, confirm: startsAnother });
    expect(events.filter((e) => e.type === 'step.failed')).toEqual([]);
    const plan = outcome.plan.steps.flatMap((step) =>
      step.changes.map((c) => `${step.stepId} ${c.mark} ${c.resource}`),
    );
    expect(plan).toContain('remove-monitor-jobs - Job feathr/m3 (context feathr-aks)');
    expect(plan).toContain(
      'remove-monitor-jobs - Jobs CronJob feathr/feathr-online-kv-monitor starts before the release goes (context feathr-aks)',
    );
    // The tool made the namespace, so it goes, and everything in it; in any case nothing of the release is left.
    expect((await k('get', 'namespaces', '-o', 'name')).split('\n')).not.toContain('namespace/feathr');
    expect(
      await k(
        'get',
        'cronjobs,jobs,pods,configmaps,roles,rolebindings',
        '-A',
        '-l',
        'app.kubernetes.io/instance=feathr-online',
        '-o',
        'name',
      ),
    ).toBe('');
  }, 120_000);
});
