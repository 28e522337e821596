/** CSI driver detection over recording stand-ins of kubectl and helm: what is asked, and what is made of the answers. */
import { describe, expect, it } from 'vitest';
import { CSI_NAMED_OBJECTS, standInAdapter } from './stand-in-harness.js';

describe('KubectlHelmAdapter: CSI driver detection', () => {
  const node = (name: string, os = 'linux') => ({
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/os': os } },
  });
  const ds = (name: string, ns: string, app: string, args: string[] = []) => ({
    kind: 'DaemonSet',
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
      {
        tool: 'kubectl',
        args: ['csidriver/secrets-store.csi.k8s.io'],
        stdout: [
          'csidriver.storage.k8s.io/secrets-store.csi.k8s.io',
          'customresourcedefinition.apiextensions.k8s.io/secretproviderclasses.secrets-store.csi.x-k8s.io',
          'clusterrole.rbac.authorization.k8s.io/secretprovidersyncing-role',
          '',
        ].join('\n'),
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
      // A Secret applied: kubectl prints it as stored.
      {
        tool: 'kubectl',
        args: ['apply', 'json'],
        stdout: { kind: 'Secret', metadata: { name: 's', namespace: 'x' }, data: { K: 'dg==' } },
      },
      {
        tool: 'kubectl',
        args: ['daemonsets,nodes'],
        stdout: {
          items: [
            ds('csi-secrets-store-csi-driver', 'security', 'secrets-store-csi-driver', [
              '--enable-secret-rotation=true',
            ]),
            ds('csi-csi-secrets-store-provider-azure', 'security', 'csi-secrets-store-provider-azure'),
            node('node-a'),
            node('node-b'),
            { ...node('node-c'), spec: { unschedulable: true } },
            // The driver's DaemonSets select Linux nodes: a Windows node isn't one of its nodes.
            node('node-win', 'windows'),
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
      'daemonsets,nodes',
      '--all-namespaces',
      '--output',
      'json',
      '--context',
      'feathr-eks',
    ]);
    // The CSIDriver, the CRD and both sync ClusterRoles are asked for by name in one call.
    expect(argv).toContainEqual([
      'get',
      ...CSI_NAMED_OBJECTS,
      '--ignore-not-found',
      '--output',
      'name',
      '--context',
      'feathr-eks',
    ]);
    // Four processes for the whole reading, and a second question within seconds reuses it.
    expect(argv).toHaveLength(4);
    await adapter.csiDriverState();
    expect(calls()).toHaveLength(4);
    await adapter.csiDriverState({ fresh: true });
    expect(calls()).toHaveLength(8);
    // Writes that can't change it (a namespace made, an access review, a Secret applied) keep it.
    await adapter.ensureNamespace('x');
    await adapter.canIAll([{ verb: 'get', resource: 'secrets', namespace: 'x' }]);
    await adapter.applySecret('x', 's', { K: 'v' }, {});
    const afterScopedWrites = calls().length;
    await adapter.csiDriverState();
    expect(calls()).toHaveLength(afterScopedWrites);
    // Any other write through the adapter makes the reading stale: the next question reads again.
    await adapter.applyManifest('{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"y"}}');
    await adapter.csiDriverState();
    expect(calls()).toHaveLength(afterScopedWrites + 1 + 4);
  });

  it('recognises the AKS add-on and an empty cluster', async () => {
    const addon = await standInAdapter([
      {
        tool: 'kubectl',
        args: ['csidriver/secrets-store.csi.k8s.io'],
        // A namespace admin may read the CSIDriver but not the ClusterRoles: sync is unknown then.
        stdout: 'csidriver.storage.k8s.io/secrets-store.csi.k8s.io\n',
        stderr: [
          'Error from server (Forbidden): clusterroles.rbac.authorization.k8s.io "secretprovidersyncing-role" is forbidden: User "dev" cannot get resource "clusterroles" in API group "rbac.authorization.k8s.io" at the cluster scope',
          'Error from server (Forbidden): clusterroles.rbac.authorization.k8s.io "aks-secretprovidersyncing-role" is forbidden: User "dev" cannot get resource "clusterroles" in API group "rbac.authorization.k8s.io" at the cluster scope',
          '',
        ].join('\n'),
        exitCode: 1,
      },
      { tool: 'helm', args: ['list'], stdout: '[]' },
      {
        tool: 'kubectl',
        args: ['daemonsets,nodes'],
        stdout: {
          items: [
            ds('aks-secrets-store-csi-driver', 'kube-system', 'secrets-store-csi-driver'),
            ds('aks-secrets-store-provider-azure', 'kube-system', 'secrets-store-provider-azure'),
          ],
        },
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

  it('a denied read of the CSIDriver or the CRD is an error, not "no driver"', async () => {
    const { adapter } = await standInAdapter([
      {
        tool: 'kubectl',
        args: ['csidriver/secrets-store.csi.k8s.io'],
        stderr:
          'Error from server (Forbidden): csidrivers.storage.k8s.io "secrets-store.csi.k8s.io" is forbidden: User "dev" cannot get resource "csidrivers" in API group "storage.k8s.io" at the cluster scope\n',
        exitCode: 1,
      },
    ]);
    await expect(adapter.csiDriverState()).rejects.toThrow(/csidrivers.storage.k8s.io .* is forbidden/);
  });

  it('reads the namespace beside the named objects, and the gather keeps that read', async () => {
    const { adapter, calls } = await standInAdapter([
      {
        tool: 'kubectl',
        args: ['namespace/feathr', 'csidriver/secrets-store.csi.k8s.io'],
        stdout: 'namespace/feathr\ncsidriver.storage.k8s.io/secrets-store.csi.k8s.io\n',
      },
      { tool: 'kubectl', args: ['daemonsets,nodes'], stdout: { items: [] } },
    ]);
    expect(await adapter.namespaceExists('feathr')).toBe(true);
    expect(calls()).toHaveLength(1);
    const csi = await adapter.csiDriverState();
    expect(csi.driverRegistered).toBe(true);
    // The gather read neither the named objects again nor the namespace.
    expect(calls().map((c) => c.argv[1])).not.toContain('csidriver/secrets-store.csi.k8s.io');
    expect(await adapter.namespaceExists('feathr')).toBe(true);
    expect(calls().filter((c) => c.argv.includes('namespace/feathr'))).toHaveLength(1);
  });

  it('a namespace the user may not read exists; a denied CSIDriver sends the namespace question alone', async () => {
    const namespaceDenied = await standInAdapter([
      {
        tool: 'kubectl',
        args: ['namespace/feathr'],
        stderr:
          'Error from server (Forbidden): namespaces "feathr" is forbidden: User "dev" cannot get resource "namespaces" in API group "" in the namespace "feathr"\n',
        exitCode: 1,
      },
    ]);
    expect(await namespaceDenied.adapter.namespaceExists('feathr')).toBe(true);
    expect(namespaceDenied.calls()).toHaveLength(1);

    const driverDenied = await standInAdapter([
      {
        tool: 'kubectl',
        args: ['csidriver/secrets-store.csi.k8s.io'],
        stderr:
          'Error from server (Forbidden): csidrivers.storage.k8s.io "secrets-store.csi.k8s.io" is forbidden: User "dev" cannot get resource "csidrivers" in API group "storage.k8s.io" at the cluster scope\n',
        exitCode: 1,
      },
      { tool: 'kubectl', args: ['get', 'namespace', 'feathr'], stdout: 'namespace/feathr\n' },
    ]);
    expect(await driverDenied.adapter.namespaceExists('feathr')).toBe(true);
    expect(driverDenied.calls().map((c) => c.argv.slice(0, 3))).toEqual([
      ['get', 'namespace/feathr', 'csidriver/secrets-store.csi.k8s.io'],
      ['get', 'namespace', 'feathr'],
    ]);
    // Nothing was kept from the failed read: the gather still reports the denial.
    await expect(driverDenied.adapter.csiDriverState()).rejects.toThrow(/csidrivers.storage.k8s.io .* is forbidden/);
  });
});
