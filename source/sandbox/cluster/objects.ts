/**
 * The sandbox's own reads and writes on a cluster's store (world building, controllers, the
 * driver's sync), by kind, so they stamp and notify exactly as API writes do.
 */
import { builtin, resourceTypes, typeOfObject } from '../k8s/registry.js';
import type { KubeObject, ResourceType } from '../k8s/types.js';
import type { ClusterState } from './state.js';

export const T = {
  namespace: builtin('namespaces'),
  node: builtin('nodes'),
  secret: builtin('secrets'),
  configMap: builtin('configmaps'),
  serviceAccount: builtin('serviceaccounts'),
  pod: builtin('pods'),
  event: builtin('events'),
  deployment: builtin('deployments', 'apps'),
  replicaSet: builtin('replicasets', 'apps'),
  daemonSet: builtin('daemonsets', 'apps'),
  job: builtin('jobs', 'batch'),
} as const;

export const SPC_GROUP = 'secrets-store.csi.x-k8s.io';

export function typeOf(cluster: ClusterState, object: Pick<KubeObject, 'apiVersion' | 'kind'>): ResourceType {
  const type = typeOfObject(cluster.store, object);
  if (!type) throw new Error(`the cluster doesn't serve ${object.apiVersion} ${object.kind}`);
  return type;
}

/** A served type by group and plural (custom resources exist only once their CRD does). */
export function servedType(cluster: ClusterState, group: string, plural: string): ResourceType | undefined {
  return resourceTypes(cluster.store).find((type) => type.group === group && type.plural === plural);
}

export function put(cluster: ClusterState, object: KubeObject, now: number): KubeObject {
  return cluster.store.put(typeOf(cluster, object), object, now);
}

export function ensureNamespace(
  cluster: ClusterState,
  name: string,
  labels: Record<string, string>,
  now: number,
): void {
  const existing = cluster.store.get(T.namespace, undefined, name);
  const merged = { ...(existing?.metadata.labels ?? {}), ...labels, 'kubernetes.io/metadata.name': name };
  cluster.store.put(
    T.namespace,
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { ...(existing?.metadata ?? { name }), labels: merged },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    },
    now,
  );
}

/** Decoded values of a Secret, or undefined. Values stay inside the sandbox. */
export function secretValues(
  cluster: ClusterState,
  namespace: string,
  name: string,
): Record<string, string> | undefined {
  const secret = cluster.store.get(T.secret, namespace, name);
  if (!secret) return undefined;
  return Object.fromEntries(
    Object.entries((secret.data ?? {}) as Record<string, string>).map(([key, value]) => [
      key,
      Buffer.from(value, 'base64').toString('utf8'),
    ]),
  );
}

export function encodeData(data: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(data).map(([key, value]) => [key, Buffer.from(value, 'utf8').toString('base64')]),
  );
}

export function getSpc(cluster: ClusterState, namespace: string, name: string): KubeObject | undefined {
  const type = servedType(cluster, SPC_GROUP, 'secretproviderclasses');
  return type ? cluster.store.get(type, namespace, name) : undefined;
}

/**
 * Records an Event as kubelet and controllers do: a repeat of the same reason and message on
 * the same object bumps `count` and `lastTimestamp` instead of adding another.
 */
export function recordEvent(
  cluster: ClusterState,
  involved: KubeObject,
  type: 'Normal' | 'Warning',
  reason: string,
  message: string,
  source: string,
  now: number,
): void {
  const namespace = involved.metadata.namespace ?? 'default';
  const stamp = new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const same = cluster.store
    .list(T.event, namespace)
    .find(
      (event) =>
        event.involvedObject?.uid === involved.metadata.uid && event.reason === reason && event.message === message,
    );
  if (same) {
    cluster.store.put(T.event, { ...same, count: (same.count ?? 1) + 1, lastTimestamp: stamp }, now);
    return;
  }
  const suffix = `${now.toString(16)}${Math.floor(Math.random() * 0xfff).toString(16)}`;
  cluster.store.put(
    T.event,
    {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${involved.metadata.name}.${suffix}`, namespace },
      involvedObject: {
        apiVersion: involved.apiVersion,
        kind: involved.kind,
        name: involved.metadata.name,
        namespace,
        uid: involved.metadata.uid,
      },
      reason,
      message,
      type,
      source: { component: source },
      count: 1,
      firstTimestamp: stamp,
      lastTimestamp: stamp,
      reportingComponent: source,
    },
    now,
  );
  // A long soak must not grow memory without bound; the API server also expires events.
  const events = cluster.store.list(T.event);
  if (events.length > 500) {
    for (const old of events
      .sort((a, b) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion))
      .slice(0, events.length - 500)) {
      cluster.store.remove(T.event, old.metadata.namespace, old.metadata.name);
    }
  }
}
