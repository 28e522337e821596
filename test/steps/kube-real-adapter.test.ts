/**
 * The cluster steps through the real KubectlHelmAdapter, with recording stand-ins for kubectl
 * and helm on its PATH: the exact helm command of the Feathr install (chart shipped with the
 * package, values by file, --wait and a timeout), the credentials Secret through stdin, and no
 * secret value on any argv or in the values file.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { SetupConfig } from '../../source/config/setup-config.js';
import type { StepContext } from '../../source/steps/step-context.js';
import type { KubePort } from '../../source/kube/port.js';
import { feathrReleaseStep } from '../../source/steps/feathr-release.js';
import { shippedChartDir } from '../../source/steps/feathr-release-values.js';
import { spCredentialsSecretStep } from '../../source/steps/sp-credentials-secret.js';
import { allArgv, helmVersionRule, standInAdapter } from '../kube/stand-in-harness.js';

const CONN = 'canary-conn-value-71f3';
const SP = 'canary-sp-secret-0c9d';

const CONFIG: SetupConfig = {
  target: 'other-cloud',
  azure: {
    subscriptionId: '00000000-0000-0000-0000-00000000feed',
    resourceGroup: 'feathr-rg',
    location: 'eastus',
    tenantId: '00000000-0000-0000-0000-0000000000aa',
  },
  vault: { name: 'feathr-kv-eks' },
  cluster: { kubeContext: 'feathr-eks' },
  identity: {
    mode: 'service-principal',
    servicePrincipal: { clientId: '00000000-0000-0000-0000-00000000b002', clientSecretEnv: 'FEATHR_SP_SECRET' },
  },
  secrets: { sources: [{ env: ['CONN_STR'] }] },
};

function context(kube: KubePort): StepContext {
  // Only what these two steps read: no Azure call happens in service-principal mode.
  return {
    config: CONFIG,
    kube,
    secrets: { env: { CONN_STR: CONN, FEATHR_SP_SECRET: SP } },
    waitTimeoutMs: 300_000,
    progress: () => {},
  } as unknown as StepContext;
}

describe('cluster steps over the real kubectl/helm adapter', () => {
  it('installs Feathr with helm upgrade --install --wait --timeout and values by file, no secret anywhere', async () => {
    const { adapter, calls, tempLeft } = await standInAdapter([
      helmVersionRule('v3.17.2'),
      { tool: 'helm', args: ['status'], stderr: 'Error: release: not found\n', exitCode: 1 },
      {
        tool: 'helm',
        args: ['upgrade'],
        stdout: {
          name: 'feathr-online',
          namespace: 'feathr',
          version: 1,
          info: { status: 'deployed' },
          chart: { metadata: { name: 'feathr-online', version: '0.1.0' } },
        },
      },
    ]);
    const ctx = context(adapter);
    const planned = await feathrReleaseStep.plan(ctx);
    expect(planned.changes.map((c) => `${c.mark} ${c.resource}`)).toEqual([
      '+ Helm release feathr/feathr-online (context feathr-eks)',
    ]);
    await feathrReleaseStep.apply(ctx, planned);

    const upgrade = calls().find((c) => c.tool === 'helm' && c.argv[0] === 'upgrade')!;
    const values = upgrade.files.find((f) => f.flag === '--values')!;
    expect(upgrade.argv).toEqual([
      'upgrade',
      '--install',
      'feathr-online',
      shippedChartDir(),
      '--namespace',
      'feathr',
      '--values',
      values.path,
      '--wait',
      '--timeout',
      '300s',
      '--output',
      'json',
      '--kube-context',
      'feathr-eks',
    ]);
    const sent = JSON.parse(readFileSync(values.copy, 'utf8'));
    expect(sent).toEqual({
      keyVault: {
        name: 'feathr-kv-eks',
        tenantId: '00000000-0000-0000-0000-0000000000aa',
        identity: { mode: 'servicePrincipal', nodePublishSecretRef: 'secrets-store-creds' },
        secrets: [{ env: 'CONN_STR', vaultName: 'CONN-STR' }],
      },
      commonLabels: { 'app.kubernetes.io/created-by': 'feathr-kv-setup' },
    });
    expect(values.mode).toBe('600');
    expect(readFileSync(values.copy, 'utf8')).not.toContain(CONN);
    expect(allArgv(calls())).not.toContain(CONN);
    expect(tempLeft()).toEqual([]);
  });

  it('creates secrets-store-creds through stdin, labelled, with the client secret never on argv', async () => {
    // kubectl get --ignore-not-found prints nothing for a missing Secret: the stand-in's default answer.
    const { adapter, calls } = await standInAdapter([]);
    const ctx = context(adapter);
    const planned = await spCredentialsSecretStep.plan(ctx);
    expect(planned.action).toBe('create');
    await spCredentialsSecretStep.apply(ctx, planned);
    const apply = calls().find((c) => c.tool === 'kubectl' && c.argv[0] === 'apply')!;
    const manifest = JSON.parse(apply.stdin);
    expect(manifest.metadata).toMatchObject({
      name: 'secrets-store-creds',
      namespace: 'feathr',
      labels: { 'secrets-store.csi.k8s.io/used': 'true', 'app.kubernetes.io/managed-by': 'feathr-kv-setup' },
    });
    expect(Object.keys(manifest.data ?? manifest.stringData).sort()).toEqual(['clientid', 'clientsecret']);
    expect(allArgv(calls())).not.toContain(SP);
    expect(allArgv(calls())).not.toContain(Buffer.from(SP).toString('base64'));
  });
});
