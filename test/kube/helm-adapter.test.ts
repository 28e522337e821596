import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { ExternalCommandError, UserError } from '../../source/kernel/errors.js';
import type { HelmInstallRequest } from '../../source/kube/port.js';
import { csiDriverInstallRequest } from '../../source/kube/csi-install.js';
import { CSI_CHART_REPO } from '../../source/config/schema.js';
import { allArgv, helmVersionRule, standInAdapter } from './stand-in-harness.js';

const CANARY = 'canary-S3cr3t-value-9b21';
// helmStatus reads `helm list --filter ^name$ --all`: helm status -o json carries no chart.
const notFound = { tool: 'helm' as const, args: ['list', '--filter'], stdout: '[]' };
const listed = (status: string, revision: number) => [
  {
    name: 'feathr-online',
    namespace: 'feathr',
    revision: String(revision),
    status,
    chart: 'feathr-online-0.1.0',
    app_version: 'latest',
  },
];
const release = (status: string, version = 2) => ({
  name: 'feathr-online',
  namespace: 'feathr',
  version,
  info: { status },
  chart: { metadata: { name: 'feathr-online', version: '0.1.0', appVersion: 'latest' } },
});

function feathrRequest(pipelineFile: string): HelmInstallRequest {
  return {
    release: 'feathr-online',
    namespace: 'feathr',
    chart: '/opt/charts/feathr-online',
    // A value that must never reach argv, as if someone put a secret in the values.
    values: {
      keyVault: { name: 'feathr-kv-demo', secrets: [{ env: 'CONN_STR', vaultName: 'CONN-STR' }] },
      note: CANARY,
    },
    files: { 'pipeline.conf': pipelineFile },
    createNamespace: true,
    wait: true,
    timeoutSeconds: 300,
    atomic: true,
  };
}

describe('KubectlHelmAdapter: helm', () => {
  it.each([
    ['v3.17.2', '--atomic'],
    ['v4.1.4', '--rollback-on-failure'],
  ])('helm %s: upgrade --install with values in a 0600 file that is gone afterwards, and %s', async (version, flag) => {
    const { adapter, calls, tempLeft, root } = await standInAdapter([
      helmVersionRule(version),
      notFound,
      { tool: 'helm', args: ['upgrade'], stdout: release('deployed', 1) },
    ]);
    const pipeline = `${root}/pipeline.conf`;
    const { writeFileSync } = await import('node:fs');
    writeFileSync(pipeline, 't(x)\n| project y = x\n;\n');
    const result = await adapter.helmUpgradeInstall(feathrRequest(pipeline));
    expect(result).toEqual({
      name: 'feathr-online',
      namespace: 'feathr',
      status: 'deployed',
      revision: 1,
      chart: 'feathr-online-0.1.0',
      appVersion: 'latest',
    });

    const upgrade = calls().find((c) => c.argv[0] === 'upgrade')!;
    const valuesPath = upgrade.files.find((f) => f.flag === '--values')!.path;
    expect(upgrade.argv).toEqual([
      'upgrade',
      '--install',
      'feathr-online',
      '/opt/charts/feathr-online',
      '--namespace',
      'feathr',
      '--create-namespace',
      '--values',
      valuesPath,
      '--set-file',
      `pipeline.conf=${pipeline}`,
      '--wait',
      '--timeout',
      '300s',
      flag,
      '--output',
      'json',
      '--kube-context',
      'feathr-eks',
    ]);
    const valuesCopy = upgrade.files.find((f) => f.flag === '--values')!;
    expect(valuesCopy.mode).toBe('600');
    expect(JSON.parse(readFileSync(valuesCopy.copy, 'utf8'))).toEqual(feathrRequest(pipeline).values);
    expect(readFileSync(upgrade.files.find((f) => f.flag === '--set-file')!.copy, 'utf8')).toContain('project y = x');
    expect(allArgv(calls())).not.toContain(CANARY);
    expect(tempLeft()).toEqual([]);
    // Every helm call that talks to the cluster carries the context.
    for (const call of calls().filter((c) => c.tool === 'helm' && c.argv[0] !== 'version')) {
      expect(call.argv.slice(-2)).toEqual(['--kube-context', 'feathr-eks']);
    }
  });

  it('detects pending-upgrade before helm runs and offers the rollback', async () => {
    const { adapter, calls } = await standInAdapter([
      helmVersionRule('v3.17.2'),
      { tool: 'helm', args: ['list', '--filter'], stdout: listed('pending-upgrade', 3) },
    ]);
    expect(await adapter.helmStatus('feathr-online', 'feathr')).toMatchObject({
      status: 'pending-upgrade',
      revision: 3,
    });
    const error = await adapter.helmUpgradeInstall(feathrRequest('/dev/null')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toBe(
      'Release feathr-online in namespace feathr is stuck in pending-upgrade: an earlier helm run was interrupted, so helm refuses another operation.',
    );
    expect((error as UserError).hint).toContain('helm rollback feathr-online -n feathr');
    expect(calls().some((c) => c.argv[0] === 'upgrade')).toBe(false);
  });

  it('maps "another operation is in progress" to the same fix, and removes the values file', async () => {
    const { adapter, tempLeft } = await standInAdapter([
      helmVersionRule('v4.1.4'),
      { ...notFound, times: 1 },
      {
        tool: 'helm',
        args: ['upgrade'],
        stderr: 'Error: UPGRADE FAILED: another operation (install/upgrade/rollback) is in progress\n',
        exitCode: 1,
      },
      { tool: 'helm', args: ['list', '--filter'], stdout: listed('pending-install', 1) },
    ]);
    const error = await adapter.helmUpgradeInstall(feathrRequest('/dev/null')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toContain('stuck in pending-install');
    expect((error as UserError).hint).toContain('helm uninstall feathr-online -n feathr');
    expect(tempLeft()).toEqual([]);
  });

  it('reports other helm failures with command, args and stderr, and still removes the values file', async () => {
    const { adapter, tempLeft } = await standInAdapter([
      helmVersionRule('v3.17.2'),
      notFound,
      {
        tool: 'helm',
        args: ['upgrade'],
        stderr: 'Error: INSTALLATION FAILED: context deadline exceeded\n',
        exitCode: 1,
      },
    ]);
    const error = await adapter.helmUpgradeInstall(feathrRequest('/dev/null')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExternalCommandError);
    expect(error).toMatchObject({
      command: 'helm',
      message: 'helm upgrade failed: Error: INSTALLATION FAILED: context deadline exceeded',
      exitCode: 1,
    });
    expect((error as ExternalCommandError).args).toContain('--kube-context');
    expect(tempLeft()).toEqual([]);
  });

  it('refuses Helm older than 3.8 with a clear message', async () => {
    const { adapter, calls } = await standInAdapter([helmVersionRule('v3.7.2'), notFound]);
    const error = await adapter.helmUpgradeInstall(feathrRequest('/dev/null')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toBe(
      'Helm v3.7.2 is too old: feathr-kv-setup needs Helm 3.8 or later (Helm 4 works too).',
    );
    expect(calls().some((c) => c.argv[0] === 'upgrade')).toBe(false);
  });

  it('installs the CSI provider chart from its repo into kube-system with sync and rotation on', async () => {
    const { adapter, calls } = await standInAdapter([
      helmVersionRule('v3.17.2'),
      notFound,
      {
        tool: 'helm',
        args: ['upgrade'],
        stdout: { ...release('deployed', 1), name: 'csi-secrets-store-provider-azure', namespace: 'kube-system' },
      },
    ]);
    await adapter.helmUpgradeInstall(
      csiDriverInstallRequest(
        { repoUrl: CSI_CHART_REPO, version: '1.8.2' },
        { rotation: { enabled: true, pollInterval: '2m' } },
      ),
    );
    const upgrade = calls().find((c) => c.argv[0] === 'upgrade')!;
    expect(upgrade.argv.slice(0, 10)).toEqual([
      'upgrade',
      '--install',
      'csi-secrets-store-provider-azure',
      'csi-secrets-store-provider-azure',
      '--namespace',
      'kube-system',
      '--repo',
      CSI_CHART_REPO,
      '--version',
      '1.8.2',
    ]);
    expect(JSON.parse(readFileSync(upgrade.files[0]!.copy, 'utf8'))).toEqual({
      'secrets-store-csi-driver': {
        syncSecret: { enabled: true },
        enableSecretRotation: true,
        rotationPollInterval: '2m',
      },
    });
  });

  it('rolls back, uninstalls (absent when missing) and reads values', async () => {
    const { adapter, calls } = await standInAdapter([
      helmVersionRule('v4.1.4'),
      {
        tool: 'helm',
        args: ['uninstall', 'gone'],
        stderr: 'Error: uninstall: Release not loaded: gone: release: not found\n',
        exitCode: 1,
      },
      { tool: 'helm', args: ['get', 'values', 'gone'], stderr: 'Error: release: not found\n', exitCode: 1 },
      { tool: 'helm', args: ['get', 'values'], stdout: { keyVault: { name: 'feathr-kv-demo' } } },
    ]);
    await adapter.helmRollback('feathr-online', 'feathr', 2);
    expect(await adapter.helmUninstall('feathr-online', 'feathr')).toBe('uninstalled');
    expect(await adapter.helmUninstall('gone', 'feathr')).toBe('absent');
    expect(await adapter.helmValues('feathr-online', 'feathr')).toEqual({ keyVault: { name: 'feathr-kv-demo' } });
    expect(await adapter.helmValues('gone', 'feathr')).toBeNull();
    expect(
      calls()
        .filter((c) => c.argv[0] !== 'version')
        .map((c) => c.argv),
    ).toEqual([
      [
        'rollback',
        'feathr-online',
        '2',
        '--namespace',
        'feathr',
        '--wait',
        '--timeout',
        '300s',
        '--kube-context',
        'feathr-eks',
      ],
      ['uninstall', 'feathr-online', '--namespace', 'feathr', '--kube-context', 'feathr-eks'],
      ['uninstall', 'gone', '--namespace', 'feathr', '--kube-context', 'feathr-eks'],
      ['get', 'values', 'feathr-online', '--namespace', 'feathr', '--output', 'json', '--kube-context', 'feathr-eks'],
      ['get', 'values', 'gone', '--namespace', 'feathr', '--output', 'json', '--kube-context', 'feathr-eks'],
    ]);
  });
});
