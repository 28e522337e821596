/**
 * `GET /_sandbox/cluster`: what a person or a test may see of the simulated clusters. Secret
 * *names and keys* only, never values; Helm values with anything secret-looking redacted
 * (our chart never receives secrets, but other charts' values might carry one).
 */
import type { SandboxState } from '../world/state.js';
import { csiDriverState } from './csi-driver.js';
import { maskSetFiles } from './helm-files.js';
import { oidcIssuer } from './aks.js';
import type { ClusterState } from './state.js';

const SECRET_KEY = /(pass(word)?|secret(value)?|clientsecret|api[-_]?key|token|conn(ection)?[-_]?str(ing)?)$/i;

export function redactValues(value: unknown): unknown {
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

function describeCluster(state: SandboxState, cluster: ClusterState): Record<string, unknown> {
  return {
    context: cluster.context,
    kind: cluster.kind,
    ...(cluster.managedClusterId ? { managedClusterId: cluster.managedClusterId } : {}),
    serverVersion: cluster.serverVersion,
    oidcIssuer: oidcIssuer(state, cluster) ?? null,
    nodes: cluster.nodes.map((node) => ({ name: node.name, os: node.os, position: node.position })),
    namespaces: [...cluster.namespaces.values()].map((namespace) => ({
      name: namespace.name,
      labels: namespace.labels,
      secrets: [...namespace.secrets.values()].map((secret) => ({
        name: secret.name,
        type: secret.type,
        labels: secret.labels,
        keys: Object.keys(secret.data).sort(),
      })),
      serviceAccounts: [...namespace.objects.values()]
        .filter((object) => object.kind === 'ServiceAccount')
        .map((object) => ({ name: object.metadata.name, annotations: object.metadata.annotations ?? {} })),
      secretProviderClasses: [...namespace.objects.values()]
        .filter((object) => object.kind === 'SecretProviderClass')
        .map((object) => ({ name: object.metadata.name, labels: object.metadata.labels ?? {}, spec: object.spec })),
    })),
    helmReleases: [...cluster.helmReleases.values()].map((release) => {
      const current = release.history[release.history.length - 1];
      return {
        name: release.name,
        namespace: release.namespace,
        status: current.status,
        revision: current.revision,
        chart: current.chart,
        values: redactValues(maskSetFiles(current.values, current.files)),
        files: (current.files ?? []).map((f) => `${f.key}=${f.file}`),
        history: release.history.map((revision) => ({
          revision: revision.revision,
          status: revision.status,
          chart: revision.chart,
          description: revision.description,
        })),
      };
    }),
    csiDriver: csiDriverState(state, cluster),
    events: cluster.events.slice(-50),
  };
}

export function describeClusters(state: SandboxState): { clusters: Record<string, unknown>[] } {
  return { clusters: [...state.clusters.values()].map((cluster) => describeCluster(state, cluster)) };
}
