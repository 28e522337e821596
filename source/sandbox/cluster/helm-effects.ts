/**
 * What installing a chart does to the simulated cluster. The Azure provider chart registers the
 * driver (refused when one is already there, as a second install of the chart is); our feathr-online chart creates
 * its objects and starts its pods, whose mount and env decide whether `--wait` succeeds.
 */
import type { HelmInstallRequest } from './wire.js';
import type { SandboxState } from '../world/state.js';
import { keyVaultAddon } from './aks.js';
import { isProviderChart, providerRelease } from './csi-driver.js';
import { isFeathrChart, renderFeathrChart, type ChartMeta } from './feathr-chart.js';
import { putObject } from './objects.js';
import { addEvent, startMountingPod } from './pods.js';
import type { ClusterState } from './state.js';
import { KubeApiError } from './objects.js';

export interface ChartEffect {
  /** Why the release isn't ready, when `--wait` would time out. */
  notReady?: string;
}

/** Throws the helm text when the chart can't even be applied. */
export function checkProviderConflict(
  state: SandboxState,
  cluster: ClusterState,
  request: HelmInstallRequest,
  meta: ChartMeta,
): void {
  if (!isProviderChart(meta.name)) return;
  const existing = providerRelease(cluster);
  const prefix =
    'rendered manifests contain a resource that already exists. Unable to continue with install: ClusterRole "secretproviderclasses-admin-role" in namespace "" exists and cannot be imported into the current release: invalid ownership metadata;';
  if (keyVaultAddon(state, cluster).enabled || cluster.preinstalledCsi) {
    throw new Error(
      `${prefix} label validation error: missing key "app.kubernetes.io/managed-by": must be set to "Helm"`,
    );
  }
  if (existing && (existing.name !== request.release || existing.namespace !== request.namespace)) {
    throw new Error(
      `${prefix} annotation validation error: key "meta.helm.sh/release-name" must equal "${request.release}": current value is "${existing.name}"`,
    );
  }
}

export function applyChart(
  state: SandboxState,
  cluster: ClusterState,
  request: HelmInstallRequest,
  meta: ChartMeta,
  now: number,
): ChartEffect {
  if (!isFeathrChart(meta, request.values)) return {};
  const { objects, pod } = renderFeathrChart(request.release, request.namespace, meta, request.values);
  for (const object of objects) putObject(cluster, object);
  if (pod.replicas < 1) return {};
  let outcome;
  try {
    outcome = startMountingPod(state, cluster, {
      namespace: request.namespace,
      namePrefix: `${request.release}-7d9c`,
      serviceAccount: pod.serviceAccount,
      labels: pod.labels,
      spcName: pod.spcName,
      volume: 'secrets-store',
      nodePublishSecretRef: pod.nodePublishSecretRef,
      now,
    });
  } catch (error) {
    if (!(error instanceof KubeApiError)) throw error;
    addEvent(cluster, request.namespace, `replicaset/${request.release}-7d9c`, 'FailedCreate', error.message, now);
    return { notReady: error.message };
  }
  if (!outcome.mount.ok) return { notReady: outcome.mount.error };
  // Env comes from the synced Secret; without it the container can't start.
  if (!cluster.namespaces.get(request.namespace)?.secrets.has(pod.syncedSecretName)) {
    const message = `Error: secret "${pod.syncedSecretName}" not found`;
    addEvent(cluster, request.namespace, `pod/${outcome.pod}`, 'Failed', message, now);
    return { notReady: message };
  }
  return {};
}
