/**
 * The objects a Secrets Store CSI driver installation creates, by installer (sources in
 * source/sandbox/README.md § CSI driver installs):
 * - the driver chart `secrets-store-csi-driver` (kubernetes-sigs): DaemonSet `<fullname>` with
 *   containers node-driver-registrar / secrets-store / liveness-probe, ServiceAccount
 *   `secrets-store-csi-driver`, CSIDriver, the two CRDs, ClusterRole/Binding
 *   `secretproviderclasses-role(binding)`, and with `syncSecret.enabled` only,
 *   `secretprovidersyncing-role` / `secretprovidersyncing-rolebinding`;
 * - the provider chart `csi-secrets-store-provider-azure` adds DaemonSet `<fullname>` with the
 *   `provider-azure-installer` container and ServiceAccount `csi-secrets-store-provider-azure`;
 * - the AKS add-on: DaemonSets `aks-secrets-store-csi-driver`, `aks-secrets-store-csi-driver-windows`,
 *   `aks-secrets-store-provider-azure` in kube-system (selectors `app=…`, the labels on their
 *   pods), sync always granted through `aks-secretprovidersyncing-role(binding)`.
 */
import type { KubeObject } from '../k8s/types.js';

export interface CsiInstall {
  namespace: string;
  /** Object name prefix and labels differ per installer. */
  installer: 'aks-addon' | 'driver-chart' | 'provider-chart';
  /** Helm release name (charts only). */
  release?: string;
  driverChartVersion?: string;
  providerChartVersion?: string;
  syncSecret: boolean;
  rotation: boolean;
  rotationPollInterval?: string;
}

const DRIVER = 'secrets-store-csi-driver';
const PROVIDER = 'csi-secrets-store-provider-azure';

function fullname(release: string, chart: string): string {
  return (release.includes(chart) ? release : `${release}-${chart}`).slice(0, 63).replace(/-+$/, '');
}

function chartLabels(install: CsiInstall, chart: string, version: string): Record<string, string> {
  return {
    'app.kubernetes.io/instance': install.release ?? '',
    'app.kubernetes.io/managed-by': 'Helm',
    'app.kubernetes.io/name': chart,
    'app.kubernetes.io/version': version,
    app: chart,
    'helm.sh/chart': `${chart}-${version}`,
  };
}

function meta(name: string, install: CsiInstall, labels: Record<string, string>, namespaced = true) {
  return { name, ...(namespaced ? { namespace: install.namespace } : {}), labels };
}

function daemonSet(
  name: string,
  install: CsiInstall,
  labels: Record<string, string>,
  app: string,
  os: 'linux' | 'windows',
  account: string,
  containers: unknown[],
): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: meta(name, install, labels),
    spec: {
      selector: { matchLabels: { app } },
      template: {
        metadata: { labels: { ...labels, app } },
        spec: { serviceAccountName: account, nodeSelector: { 'kubernetes.io/os': os }, containers },
      },
    },
  };
}

function driverContainers(install: CsiInstall): unknown[] {
  const args = [
    '--endpoint=$(CSI_ENDPOINT)',
    '--nodeid=$(KUBE_NODE_NAME)',
    '--provider-volume=/etc/kubernetes/secrets-store-csi-providers',
    ...(install.rotation
      ? ['--enable-secret-rotation=true', `--rotation-poll-interval=${install.rotationPollInterval ?? '2m'}`]
      : []),
    '--metrics-addr=:8095',
  ];
  return [
    {
      name: 'node-driver-registrar',
      image: 'registry.k8s.io/sig-storage/csi-node-driver-registrar:v2.13.0',
      args: ['--v=5', '--csi-address=/csi/csi.sock'],
    },
    { name: 'secrets-store', image: 'registry.k8s.io/csi-secrets-store/driver:v1.5.6', args },
    {
      name: 'liveness-probe',
      image: 'registry.k8s.io/sig-storage/livenessprobe:v2.15.0',
      args: ['--csi-address=/csi/csi.sock', '--probe-timeout=3s', '--http-endpoint=0.0.0.0:9808'],
    },
  ];
}

const PROVIDER_CONTAINER = [
  {
    name: 'provider-azure-installer',
    image: 'mcr.microsoft.com/oss/v2/azure/secrets-store/provider-azure:v1.8.2',
    args: ['--endpoint=unix:///provider/azure.sock'],
  },
];

function crds(labels: Record<string, string>): KubeObject[] {
  const crd = (plural: string, kind: string, status: boolean): KubeObject => ({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.secrets-store.csi.x-k8s.io`, labels },
    spec: {
      group: 'secrets-store.csi.x-k8s.io',
      names: { kind, listKind: `${kind}List`, plural, singular: kind.toLowerCase() },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
          ...(status ? { subresources: { status: {} } } : {}),
        },
      ],
    },
  });
  return [
    crd('secretproviderclasses', 'SecretProviderClass', true),
    crd('secretproviderclasspodstatuses', 'SecretProviderClassPodStatus', false),
  ];
}

function rbac(prefix: string, install: CsiInstall, labels: Record<string, string>): KubeObject[] {
  const subject = [{ kind: 'ServiceAccount', name: DRIVER, namespace: install.namespace }];
  const role = (name: string, rules: unknown[]): KubeObject => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: meta(`${prefix}${name}`, install, labels, false),
    rules,
  });
  const binding = (name: string, roleName: string): KubeObject => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: meta(`${prefix}${name}`, install, labels, false),
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `${prefix}${roleName}` },
    subjects: subject,
  });
  const out = [
    role('secretproviderclasses-role', [
      { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
      {
        apiGroups: ['secrets-store.csi.x-k8s.io'],
        resources: ['secretproviderclasses', 'secretproviderclasspodstatuses'],
        verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
      },
    ]),
    binding('secretproviderclasses-rolebinding', 'secretproviderclasses-role'),
  ];
  if (install.syncSecret) {
    out.push(
      role('secretprovidersyncing-role', [
        {
          apiGroups: [''],
          resources: ['secrets'],
          verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
        },
      ]),
      binding('secretprovidersyncing-rolebinding', 'secretprovidersyncing-role'),
    );
  }
  return out;
}

export function csiObjects(install: CsiInstall): KubeObject[] {
  const addon = install.installer === 'aks-addon';
  const driverVersion = install.driverChartVersion ?? '1.5.6';
  const driverLabels = addon
    ? { 'addonmanager.kubernetes.io/mode': 'Reconcile' }
    : chartLabels(install, DRIVER, driverVersion);
  const driverName = addon ? 'aks-secrets-store-csi-driver' : fullname(install.release ?? DRIVER, DRIVER);
  const objects: KubeObject[] = [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(DRIVER, install, driverLabels) },
    {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'CSIDriver',
      metadata: meta('secrets-store.csi.k8s.io', install, driverLabels, false),
      spec: { podInfoOnMount: true, attachRequired: false, volumeLifecycleModes: ['Ephemeral'] },
    },
    ...crds(driverLabels),
    ...rbac(addon ? 'aks-' : '', install, driverLabels),
    daemonSet(driverName, install, driverLabels, DRIVER, 'linux', DRIVER, driverContainers(install)),
  ];
  if (addon)
    objects.push(
      daemonSet(
        'aks-secrets-store-csi-driver-windows',
        install,
        driverLabels,
        DRIVER,
        'windows',
        DRIVER,
        driverContainers(install),
      ),
    );
  if (install.installer !== 'driver-chart') {
    const labels = addon
      ? { 'addonmanager.kubernetes.io/mode': 'Reconcile' }
      : chartLabels(install, PROVIDER, install.providerChartVersion ?? '1.8.2');
    const name = addon ? 'aks-secrets-store-provider-azure' : fullname(install.release ?? PROVIDER, PROVIDER);
    const app = addon ? 'secrets-store-provider-azure' : PROVIDER;
    objects.push(
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(PROVIDER, install, labels) },
      daemonSet(name, install, labels, app, 'linux', PROVIDER, PROVIDER_CONTAINER),
    );
  }
  return objects;
}
