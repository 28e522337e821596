/**
 * `GET /_sandbox/cluster`: what a person or a test may see of the simulated clusters. Secret
 * *names and keys* only, never values; Helm values with anything secret-looking redacted
 * (our chart never receives secrets, but other charts' values might carry one).
 */
import type { SandboxState } from '../world/state.js';
import { driverMaySync, driverPodOn, driverRegistered, providerOn, rotationOn } from './csi-driver.js';
import { storedReleases } from './helm-storage.js';
import { oidcIssuer } from './aks.js';
import { SPC_GROUP, T, servedType } from './objects.js';
import type { ClusterState } from './state.js';

const SECRET_KEY = /(pass(word)?|secret(value)?|clientsecret|api[-_]?key|token|conn(ection)?[-_]?str(ing)?)$/i;

function redactValues(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactValues);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [
        key,
        typeof inner === 'string' && SECRET_KEY.test(key) ? '[redacted]' : redactValues(inner),
      ]),
    );
  }
  return value;
}

/** Who installed the driver, read from its DaemonSet as a person would: name, labels, annotations. */
function installer(cluster: ClusterState): { installedBy: string; helmRelease?: { name: string; namespace: string } } {
  const driver = cluster.store
    .list(T.daemonSet)
    .find((ds) =>
      (ds.spec?.template?.spec?.containers ?? []).some((c: { name: string }) => c.name === 'secrets-store'),
    );
  if (!driver) return { installedBy: 'none' };
  if (driver.metadata.name.startsWith('aks-secrets-store-')) return { installedBy: 'aks-addon' };
  const release = driver.metadata.annotations?.['meta.helm.sh/release-name'];
  if (release)
    return {
      installedBy: 'helm',
      helmRelease: {
        name: release,
        namespace: driver.metadata.annotations?.['meta.helm.sh/release-namespace'] ?? driver.metadata.namespace!,
      },
    };
  return { installedBy: 'other' };
}

function csiSummary(cluster: ClusterState) {
  const nodes = cluster.nodes.map((node) => {
    const driver = driverPodOn(cluster, node.name);
    return {
      name: node.name,
      driverReady: driver !== undefined,
      providerReady: providerOn(cluster, node.name),
      syncSecret: driver ? driverMaySync(cluster, driver) : null,
      rotation: driver ? rotationOn(driver) : null,
    };
  });
  const ready = nodes.find((node) => node.driverReady);
  return {
    ...installer(cluster),
    driverRegistered: driverRegistered(cluster),
    syncSecretEnabled: ready?.syncSecret ?? null,
    rotationEnabled: ready?.rotation ?? null,
    nodes,
  };
}

function describeCluster(state: SandboxState, cluster: ClusterState): Record<string, unknown> {
  const { store } = cluster;
  const spcType = servedType(cluster, SPC_GROUP, 'secretproviderclasses');
  return {
    context: cluster.context,
    kind: cluster.kind,
    ...(cluster.managedClusterId ? { managedClusterId: cluster.managedClusterId } : {}),
    serverVersion: cluster.serverVersion,
    oidcIssuer: oidcIssuer(state, cluster) ?? null,
    nodes: cluster.nodes.map((node) => ({ name: node.name, os: node.os, position: node.position })),
    namespaces: store.list(T.namespace).map((namespace) => {
      const ns = namespace.metadata.name;
      return {
        name: ns,
        labels: namespace.metadata.labels ?? {},
        secrets: store
          .list(T.secret, ns)
          .filter((secret) => secret.type !== 'helm.sh/release.v1')
          .map((secret) => ({
            name: secret.metadata.name,
            type: secret.type,
            labels: secret.metadata.labels ?? {},
            keys: Object.keys(secret.data ?? {}).sort(),
          })),
        serviceAccounts: store
          .list(T.serviceAccount, ns)
          .map((object) => ({ name: object.metadata.name, annotations: object.metadata.annotations ?? {} })),
        secretProviderClasses: spcType
          ? store.list(spcType, ns).map((object) => ({
              name: object.metadata.name,
              labels: object.metadata.labels ?? {},
              spec: object.spec,
            }))
          : [],
        pods: store.list(T.pod, ns).map((pod) => ({
          name: pod.metadata.name,
          node: pod.spec?.nodeName ?? null,
          phase: pod.status?.phase ?? 'Pending',
        })),
      };
    }),
    helmReleases: storedReleases(cluster).map((release) => ({ ...release, values: redactValues(release.values) })),
    csiDriver: csiSummary(cluster),
    events: store
      .list(T.event)
      .slice(-50)
      .map((event) => ({
        namespace: event.metadata.namespace,
        object: `${String(event.involvedObject?.kind ?? '').toLowerCase()}/${event.involvedObject?.name ?? ''}`,
        reason: event.reason,
        message: event.message,
      })),
  };
}

export function describeClusters(state: SandboxState): { clusters: Record<string, unknown>[] } {
  return { clusters: [...state.clusters.values()].map((cluster) => describeCluster(state, cluster)) };
}
