import { describe, expect, it } from 'vitest';
import { UserError } from '../../source/kernel/errors.js';
import { PROBE_RESULT_PREFIX } from '../../source/kube/probe-script.js';
import { standInAdapter } from './stand-in-harness.js';

const resultLine = `${PROBE_RESULT_PREFIX}${JSON.stringify({
  dns: { host: 'feathr-kv-demo.vault.azure.net', addresses: ['20.38.1.4'], error: '' },
  tcp443: true,
  tls: true,
  vaultStatus: 403,
  vaultError: 'ForbiddenByFirewall: Client address is not authorized and caller is not a trusted service.',
  clientAddress: '52.14.20.1',
  mount: { ok: true, objects: [{ alias: 'CONN_STR', state: 'mounted', sha256: 'ab'.repeat(32) }] },
})}`;

const spec = {
  namespace: 'feathr',
  hostNetwork: true,
  vaultName: 'feathr-kv-demo',
  secretProviderClass: 'feathr-online-kv',
  expectedObjects: ['CONN_STR'],
  nodePublishSecretRef: 'secrets-store-creds',
};

describe('KubectlHelmAdapter: probe pod', () => {
  it('applies the pod, waits for it, parses its result line and deletes it', async () => {
    const { adapter, calls } = await standInAdapter([
      { tool: 'kubectl', args: ['get', 'pod'], stdout: { status: { phase: 'Pending' } }, times: 1 },
      { tool: 'kubectl', args: ['get', 'pod'], stdout: { status: { phase: 'Succeeded' } } },
      { tool: 'kubectl', args: ['get', 'events'], stdout: { items: [] } },
      { tool: 'kubectl', args: ['logs'], stdout: `starting\n${resultLine}\n` },
    ]);
    const result = await adapter.runProbe(spec);
    expect(result).toMatchObject({
      tcp443: true,
      tls: true,
      vaultStatus: 403,
      clientAddress: '52.14.20.1',
      cleanedUp: true,
      dns: { addresses: ['20.38.1.4'] },
    });
    expect(result.dns.error).toBeUndefined();
    const recorded = calls();
    const pod = JSON.parse(recorded[0]!.stdin);
    expect(pod.metadata.name).toBe(result.podName);
    expect(pod.spec).toMatchObject({ hostNetwork: true, dnsPolicy: 'Default', restartPolicy: 'Never' });
    expect(pod.spec.volumes[0].csi).toEqual({
      driver: 'secrets-store.csi.k8s.io',
      readOnly: true,
      volumeAttributes: { secretProviderClass: 'feathr-online-kv' },
      nodePublishSecretRef: { name: 'secrets-store-creds' },
    });
    expect(recorded.at(-1)!.argv).toEqual([
      'delete',
      'pod',
      result.podName,
      '--namespace',
      'feathr',
      '--ignore-not-found',
      '--wait=false',
      '--context',
      'feathr-eks',
    ]);
  });

  it('reports a FailedMount for a pod stuck in ContainerCreating, and deletes it', async () => {
    const failedMount =
      'MountVolume.SetUp failed for volume "secrets-store" : rpc error: code = Unknown desc = failed to mount secrets store objects';
    const { adapter, calls } = await standInAdapter([
      { tool: 'kubectl', args: ['get', 'pod'], stdout: { status: { phase: 'Pending' } } },
      {
        tool: 'kubectl',
        args: ['get', 'events'],
        stdout: { items: [{ reason: 'FailedMount', message: failedMount }] },
      },
    ]);
    const result = await adapter.runProbe(spec);
    expect(result.mount).toEqual({ ok: false, error: failedMount, objects: [] });
    expect(result.cleanedUp).toBe(true);
    expect(calls().at(-1)!.argv.slice(0, 2)).toEqual(['delete', 'pod']);
  });

  it('deletes the pod even when the probe itself fails', async () => {
    const { adapter, calls } = await standInAdapter([
      { tool: 'kubectl', args: ['get', 'pod'], stdout: { status: { phase: 'Failed' } } },
      { tool: 'kubectl', args: ['logs'], stdout: 'sh: not found\n' },
    ]);
    const error = await adapter.runProbe(spec).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toMatch(/ended \(Failed\) without a result line/);
    expect(calls().at(-1)!.argv.slice(0, 2)).toEqual(['delete', 'pod']);
  });
});

describe('KubectlHelmAdapter: CSI driver detection', () => {
  const ds = (name: string, ns: string, app: string, args: string[] = []) => ({
    metadata: { name, namespace: ns, labels: { app } },
    spec: { template: { spec: { containers: [{ name: 'c', args }] } } },
  });
  const pod = (app: string, node: string, ready = true) => ({
    metadata: { name: `${app}-${node}`, labels: { app } },
    spec: { nodeName: node },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  });

  it('finds an existing Helm install in any namespace, sync, rotation and per-node readiness', async () => {
    const { adapter, calls } = await standInAdapter([
      { tool: 'kubectl', args: ['csidriver'], stdout: 'csidriver.storage.k8s.io/secrets-store.csi.k8s.io\n' },
      {
        tool: 'kubectl',
        args: ['customresourcedefinition'],
        stdout: 'customresourcedefinition.apiextensions.k8s.io/secretproviderclasses.secrets-store.csi.x-k8s.io\n',
      },
      {
        tool: 'helm',
        args: ['list'],
        stdout: [
          {
            name: 'csi',
            namespace: 'security',
            revision: '3',
            status: 'deployed',
            chart: 'csi-secrets-store-provider-azure-1.5.6',
            app_version: '1.5.6',
          },
        ],
      },
      {
        tool: 'kubectl',
        args: ['daemonset'],
        stdout: {
          items: [
            ds('csi-secrets-store-csi-driver', 'security', 'secrets-store-csi-driver', [
              '--enable-secret-rotation=true',
            ]),
            ds('csi-csi-secrets-store-provider-azure', 'security', 'csi-secrets-store-provider-azure'),
          ],
        },
      },
      {
        tool: 'kubectl',
        args: ['pod'],
        stdout: {
          items: [
            pod('secrets-store-csi-driver', 'node-a'),
            pod('csi-secrets-store-provider-azure', 'node-a'),
            pod('secrets-store-csi-driver', 'node-b'),
            pod('csi-secrets-store-provider-azure', 'node-b', false),
          ],
        },
      },
      {
        tool: 'kubectl',
        args: ['node'],
        stdout: {
          items: [
            { metadata: { name: 'node-a' } },
            { metadata: { name: 'node-b' } },
            { metadata: { name: 'node-c' }, spec: { unschedulable: true } },
          ],
        },
      },
      {
        tool: 'kubectl',
        args: ['clusterrole'],
        stdout: 'clusterrole.rbac.authorization.k8s.io/secretprovidersyncing-role\n',
      },
    ]);
    expect(await adapter.csiDriverState()).toEqual({
      driverRegistered: true,
      crdsInstalled: true,
      azureProviderInstalled: true,
      installedBy: 'helm',
      helmRelease: { name: 'csi', namespace: 'security', chart: 'csi-secrets-store-provider-azure-1.5.6' },
      syncSecretEnabled: true,
      rotationEnabled: true,
      nodes: [
        { name: 'node-a', driverReady: true, providerReady: true },
        { name: 'node-b', driverReady: true, providerReady: false },
      ],
    });
    const argv = calls().map((c) => c.argv);
    expect(argv).toContainEqual([
      'list',
      '--all-namespaces',
      '--deployed',
      '--failed',
      '--pending',
      '--uninstalling',
      '--output',
      'json',
      '--kube-context',
      'feathr-eks',
    ]);
    expect(argv).toContainEqual([
      'get',
      'daemonset',
      '--all-namespaces',
      '--output',
      'json',
      '--context',
      'feathr-eks',
    ]);
  });

  it('recognises the AKS add-on and an empty cluster', async () => {
    const addon = await standInAdapter([
      { tool: 'kubectl', args: ['csidriver'], stdout: 'csidriver/secrets-store.csi.k8s.io\n' },
      { tool: 'helm', args: ['list'], stdout: '[]' },
      {
        tool: 'kubectl',
        args: ['daemonset'],
        stdout: {
          items: [
            ds('aks-secrets-store-csi-driver', 'kube-system', 'secrets-store-csi-driver'),
            ds('aks-secrets-store-provider-azure', 'kube-system', 'secrets-store-provider-azure'),
          ],
        },
      },
      {
        tool: 'kubectl',
        args: ['clusterrole'],
        stderr: 'Error from server (Forbidden): clusterroles.rbac.authorization.k8s.io is forbidden\n',
        exitCode: 1,
      },
    ]);
    expect(await addon.adapter.csiDriverState()).toMatchObject({
      installedBy: 'aks-addon',
      azureProviderInstalled: true,
      syncSecretEnabled: null,
      rotationEnabled: false,
      nodes: [],
    });
    const empty = await standInAdapter([{ tool: 'helm', args: ['list'], stdout: '' }]);
    expect(await empty.adapter.csiDriverState()).toMatchObject({
      installedBy: 'none',
      driverRegistered: false,
      crdsInstalled: false,
      azureProviderInstalled: false,
      syncSecretEnabled: false,
      rotationEnabled: null,
    });
  });
});
