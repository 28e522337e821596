import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { CHART_DIR, CHART_GOLDEN_DIR, CHART_VALUES_DIR, IDENTITY_MODES, MONITOR_GOLDEN, helmBinary, renderChart } from '../../../scripts/chart-render.js';
import { probeScript } from '../../../source/kube/probe-script.js';

type Doc = { apiVersion: string; kind: string; metadata: { name: string; labels?: Record<string, string> }; spec?: any; data?: Record<string, string>; rules?: any[]; subjects?: any[] };

const helms = [['helm 3.17', helmBinary('helm3')], ['helm 4.1', helmBinary('helm4')]] as const;
const monitorValues = join(CHART_VALUES_DIR, 'monitor.yaml');
const docs = (text: string) => parseAllDocuments(text).map((d) => d.toJS() as Doc).filter(Boolean);
const monitorOn = ['--set', 'monitor.enabled=true'];

describe.each(helms)('the kv-monitor in charts/feathr-online with %s', (_name, helm) => {
  it.each(IDENTITY_MODES)('lints with the monitor on (%s)', async (mode) => {
    const run = await execa(helm, ['lint', CHART_DIR, '--values', join(CHART_VALUES_DIR, `${mode}.yaml`), ...monitorOn]);
    expect(run.stdout).toContain('1 chart(s) linted, 0 chart(s) failed');
  });

  it('renders the PrometheusRule only when the cluster serves monitoring.coreos.com/v1', async () => {
    const without = docs(await renderChart(helm, monitorValues));
    const withApi = docs(await renderChart(helm, monitorValues, ['--api-versions', 'monitoring.coreos.com/v1']));
    expect(without.filter((d) => d.kind === 'PrometheusRule')).toEqual([]);
    const [rule] = withApi.filter((d) => d.kind === 'PrometheusRule');
    expect(rule?.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(rule?.metadata.labels).toMatchObject({ release: 'kube-prometheus-stack' });
    const exprs = rule!.spec.groups[0].rules.map((r: { expr: string }) => r.expr).join('\n');
    expect(exprs).toContain('kube_job_owner{namespace="feathr", owner_kind="CronJob", owner_name="feathr-online-kv-monitor"}');
    expect(exprs).toContain('kube_job_failed{namespace="feathr", condition="true"}');
    // Without the monitor there is nothing to alert on, API or not.
    const off = docs(await renderChart(helm, join(CHART_VALUES_DIR, 'service-principal.yaml'), ['--api-versions', 'monitoring.coreos.com/v1']));
    expect(off.filter((d) => /PrometheusRule|CronJob|Role/.test(d.kind) || d.metadata.name.includes('kv-monitor'))).toEqual([]);
  });

  it('runs as Feathr runs: its ServiceAccount, its identity, its nodes', async () => {
    const all = docs(await renderChart(helm, monitorValues));
    const cron = all.find((d) => d.kind === 'CronJob')!;
    const deployment = all.find((d) => d.kind === 'Deployment')!;
    const service = all.find((d) => d.kind === 'Service')!;
    expect(cron.metadata.name).toBe('feathr-online-kv-monitor');
    expect(cron.spec.schedule).toBe('*/5 * * * *');
    const job = cron.spec.jobTemplate.spec;
    expect(job.backoffLimit).toBe(0);
    expect(job.parallelism).toBeUndefined();
    const pod = job.template.spec;
    expect(pod.serviceAccountName).toBe(deployment.spec.template.spec.serviceAccountName);
    expect(pod.nodeSelector).toEqual(deployment.spec.template.spec.nodeSelector);
    expect(pod.tolerations).toEqual(deployment.spec.template.spec.tolerations);
    const env = Object.fromEntries(pod.containers[0].env.filter((e: any) => 'value' in e).map((e: any) => [e.name, e.value]));
    expect(env).toMatchObject({ VAULT_NAME: 'feathr-kv-test', OBJECTS: 'CONN-STR IPGEOLOCATION-APIKEY', SPC_NAME: 'feathr-online-kv', RESULTS_CONFIGMAP: 'feathr-online-kv-monitor', KEEP_RESULTS: '48', EXPECT_PRIVATE: 'true', ROTATION_POLL_SECONDS: '120', SP_CREDENTIALS_DIR: '/var/run/secrets/kv-service-principal' });
    expect(env.FIX_FIREWALL).toBe('az keyvault network-rule add --name feathr-kv-test --resource-group feathr-rg --ip-address {address}');
    // The service principal comes from the Secret the CSI volume names, not from a copy.
    const csi = deployment.spec.template.spec.volumes.find((v: any) => v.csi).csi;
    expect(pod.volumes.find((v: any) => v.secret)?.secret.secretName).toBe(csi.nodePublishSecretRef.name);
    // Monitor pods must never be counted as Feathr pods by the Service or the Deployment.
    const podLabels = job.template.metadata.labels as Record<string, string>;
    const selects = (selector: Record<string, string>) => Object.entries(selector).every(([k, v]) => podLabels[k] === v);
    expect(selects(service.spec.selector)).toBe(false);
    expect(selects(deployment.spec.selector.matchLabels)).toBe(false);
  });

  it.each([
    ['vm-managed-identity', { IMDS_CLIENT_ID: '11111111-2222-3333-4444-555555555555' }, undefined],
    ['workload-identity', {}, 'true'],
  ] as const)('passes the %s identity the way its pods get it', async (mode, env, wiLabel) => {
    const all = docs(await renderChart(helm, join(CHART_VALUES_DIR, `${mode}.yaml`), monitorOn));
    const template = all.find((d) => d.kind === 'CronJob')!.spec.jobTemplate.spec.template;
    const values = Object.fromEntries(template.spec.containers[0].env.filter((e: any) => 'value' in e).map((e: any) => [e.name, e.value]));
    expect(values).toMatchObject(env);
    expect(values.SP_CREDENTIALS_DIR).toBeUndefined();
    expect(template.metadata.labels['azure.workload.identity/use']).toBe(wiLabel);
    expect(template.spec.volumes.filter((v: any) => v.secret)).toEqual([]);
  });

  it('spreads several pods per run over the nodes when asked', async () => {
    const all = docs(await renderChart(helm, monitorValues, ['--set', 'monitor.podsPerRun=3']));
    const job = all.find((d) => d.kind === 'CronJob')!.spec.jobTemplate.spec;
    expect(job).toMatchObject({ parallelism: 3, completions: 3 });
    expect(job.template.spec.topologySpreadConstraints).toEqual([{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { 'app.kubernetes.io/component': 'kv-monitor', 'app.kubernetes.io/instance': 'feathr-online' } } }]);
  });

  it('grants the monitor only what it writes and reads', async () => {
    const all = docs(await renderChart(helm, monitorValues));
    const role = all.find((d) => d.kind === 'Role')!;
    expect(role.rules).toEqual([
      { apiGroups: [''], resources: ['configmaps'], resourceNames: ['feathr-online-kv-monitor'], verbs: ['get', 'patch'] },
      { apiGroups: [''], resources: ['events'], verbs: ['create'] },
      { apiGroups: ['secrets-store.csi.x-k8s.io'], resources: ['secretproviderclasses'], resourceNames: ['feathr-online-kv'], verbs: ['get'] },
      { apiGroups: ['secrets-store.csi.x-k8s.io'], resources: ['secretproviderclasspodstatuses'], verbs: ['list'] },
    ]);
    const binding = all.find((d) => d.kind === 'RoleBinding')!;
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'feathr-online', namespace: 'feathr' }]);
    // The results ConfigMap starts empty, so upgrades keep the Jobs' history.
    expect(all.find((d) => d.kind === 'ConfigMap' && d.metadata.name === 'feathr-online-kv-monitor')!.data).toBeUndefined();
  });

  it('ships the very probe script check runs', async () => {
    const all = docs(await renderChart(helm, monitorValues));
    const scripts = all.find((d) => d.metadata.name === 'feathr-online-kv-monitor-scripts')!;
    expect(scripts.data!['kv-probe.sh']).toBe(probeScript());
    expect(scripts.data!['kv-monitor.sh']).toBe(readFileSync(join(CHART_DIR, 'files', 'kv-monitor.sh'), 'utf8'));
  });

  it.each([
    ['monitor.schedule=every five minutes', /monitor[./]schedule/],
    ['monitor.rotationPollInterval=2 minutes', /monitor[./]rotationPollInterval/],
    ['monitor.fixes.other=x', /(additional properties|additionalProperties).*other|other.*not allowed/i],
  ])('values.schema.json rejects %s', async (set, message) => {
    const run = await execa(helm, ['template', 'x', CHART_DIR, '--values', monitorValues, '--set', set], { reject: false });
    expect(run.exitCode).not.toBe(0);
    expect(run.stderr).toMatch(message);
  });

  it('matches the golden file', async () => {
    const golden = readFileSync(join(CHART_GOLDEN_DIR, `${MONITOR_GOLDEN.name}.yaml`), 'utf8');
    expect(`${await renderChart(helm, monitorValues, MONITOR_GOLDEN.args)}\n`, 'run `npm run golden:chart` after an intended change').toBe(golden);
  });
});

describe('kv-monitor names', () => {
  it('keep a long release name within the 52 characters a CronJob may have', async () => {
    const release = 'a-very-long-release-name-for-feathr-online-x1';
    const run = await execa(helmBinary('helm3'), ['template', release, CHART_DIR, '--values', monitorValues]);
    const cron = docs(run.stdout).find((d) => d.kind === 'CronJob')!;
    expect(cron.metadata.name).toBe('a-very-long-release-name-for-feathr-onlin-kv-monitor');
    expect(cron.metadata.name).toHaveLength(52);
  });
});
