/**
 * Decides where the Secrets Store CSI driver stands from what kubectl and helm report,
 * so it is never installed twice (a second install fails: "ClusterRole … exists and cannot be
 * imported into the current release"). Pure: the adapter gathers, this decides.
 */
import type { CsiDriverState, HelmRelease } from './port.js';
import { splitChart } from './csi-install.js';

export const CSI_DRIVER_NAME = 'secrets-store.csi.k8s.io';
export const SPC_CRD_NAME = 'secretproviderclasses.secrets-store.csi.x-k8s.io';
/**
 * The ClusterRole that lets the driver create synced Secrets: the driver chart creates it only
 * with `syncSecret.enabled` (templates/role-syncsecret.yaml); the AKS add-on's is prefixed `aks-`
 * and always there (captures of real AKS clusters; the add-on grants sync by default).
 */
export const SYNC_CLUSTER_ROLES = ['secretprovidersyncing-role', 'aks-secretprovidersyncing-role'];
/** Chart names that bring the driver: the Azure provider chart (with the driver as a dependency) or the driver alone. */
const CSI_CHARTS = ['csi-secrets-store-provider-azure', 'secrets-store-csi-driver'] as const;
/** `app` label values of the driver and the Azure provider pods (AKS add-on and the Helm chart). */
export const DRIVER_APP_LABELS = ['secrets-store-csi-driver'];
export const PROVIDER_APP_LABELS = ['secrets-store-provider-azure', 'csi-secrets-store-provider-azure'];

interface Meta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
}

export interface DaemonSetJson {
  metadata: Meta;
  spec?: {
    selector?: { matchLabels?: Record<string, string> };
    template?: {
      metadata?: { labels?: Record<string, string> };
      spec?: { containers?: { name?: string; args?: string[] }[] };
    };
  };
}

export interface PodJson {
  metadata: Meta;
  spec?: { nodeName?: string };
  status?: { phase?: string; conditions?: { type: string; status: string }[] };
}

export interface NodeJson {
  metadata: Meta;
  spec?: { unschedulable?: boolean };
}

export interface CsiObservations {
  csiDriverExists: boolean;
  crdExists: boolean;
  helmReleases: HelmRelease[];
  daemonSets: DaemonSetJson[];
  pods: PodJson[];
  /** Linux nodes. */
  nodes: NodeJson[];
  /** Either sync ClusterRole exists; null when they couldn't be read (e.g. RBAC forbids it). */
  syncClusterRoleExists: boolean | null;
}

function findCsiHelmRelease(releases: readonly HelmRelease[]): HelmRelease | undefined {
  return releases.find((release) => (CSI_CHARTS as readonly string[]).includes(splitChart(release.chart).name));
}

/** Whether a chart as helm is given it (`repo/name`, a folder, an archive) is one that brings the driver. */
export function bringsCsiDriver(chart: string): boolean {
  const name = chart
    .replace(/\/+$/, '')
    .split('/')
    .at(-1)!
    .replace(/\.tgz$/, '');
  return (CSI_CHARTS as readonly string[]).includes(splitChart(name).name);
}

const appOf = (labels: Record<string, string> | undefined): string =>
  labels?.app ?? labels?.['app.kubernetes.io/name'] ?? '';
/**
 * A DaemonSet is known by the `app` label its pods carry (its selector and pod template): the
 * add-on's own DaemonSets aren't certain to carry it on themselves.
 */
const dsApp = (ds: DaemonSetJson): string =>
  appOf(ds.spec?.selector?.matchLabels) || appOf(ds.spec?.template?.metadata?.labels) || appOf(ds.metadata.labels);
const isDriverDs = (ds: DaemonSetJson): boolean => DRIVER_APP_LABELS.includes(dsApp(ds));
const isProviderDs = (ds: DaemonSetJson): boolean => PROVIDER_APP_LABELS.includes(dsApp(ds));
/** A DaemonSet of the driver or of the Azure provider, whoever installed it. */
export const isCsiDaemonSet = (ds: DaemonSetJson): boolean => isDriverDs(ds) || isProviderDs(ds);
const isDriver = (meta: Meta): boolean => DRIVER_APP_LABELS.includes(appOf(meta.labels));
const isProvider = (meta: Meta): boolean => PROVIDER_APP_LABELS.includes(appOf(meta.labels));

/**
 * The AKS add-on's DaemonSets are `aks-secrets-store-csi-driver` and
 * `aks-secrets-store-provider-azure` in kube-system (captures of real AKS clusters).
 */
function isAddonDaemonSet(ds: DaemonSetJson): boolean {
  return ds.metadata.namespace === 'kube-system' && ds.metadata.name.startsWith('aks-secrets-store-');
}

function rotationFrom(daemonSets: readonly DaemonSetJson[]): boolean | null {
  const driver = daemonSets.find(isDriverDs);
  if (!driver) return null;
  const args = (driver.spec?.template?.spec?.containers ?? []).flatMap((container) => container.args ?? []);
  return args.some((arg) => /^--enable-secret-rotation(=true)?$/.test(arg));
}

function podReady(pod: PodJson): boolean {
  return (
    pod.status?.phase === 'Running' &&
    (pod.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True')
  );
}

export function decideCsiState(seen: CsiObservations): CsiDriverState {
  const release = findCsiHelmRelease(seen.helmReleases);
  const providerDs = seen.daemonSets.filter(isProviderDs);
  const driverDs = seen.daemonSets.filter(isDriverDs);
  const addon = [...providerDs, ...driverDs].some(isAddonDaemonSet);
  const installedBy: CsiDriverState['installedBy'] = release
    ? 'helm'
    : addon
      ? 'aks-addon'
      : seen.csiDriverExists || seen.crdExists || driverDs.length > 0
        ? 'other'
        : 'none';
  const schedulable = seen.nodes.filter((node) => !node.spec?.unschedulable);
  const nodes = schedulable.map((node) => {
    const onNode = seen.pods.filter((pod) => pod.spec?.nodeName === node.metadata.name && podReady(pod));
    return {
      name: node.metadata.name,
      driverReady: onNode.some((pod) => isDriver(pod.metadata)),
      providerReady: onNode.some((pod) => isProvider(pod.metadata)),
    };
  });
  return {
    driverRegistered: seen.csiDriverExists,
    crdsInstalled: seen.crdExists,
    azureProviderInstalled: providerDs.length > 0,
    installedBy,
    ...(release ? { helmRelease: { name: release.name, namespace: release.namespace, chart: release.chart } } : {}),
    syncSecretEnabled: seen.syncClusterRoleExists,
    rotationEnabled: rotationFrom(seen.daemonSets),
    nodes,
  };
}
