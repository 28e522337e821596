/** Reads a sandbox cluster's store directly (test assertions only; the tool goes through kubectl). */
import { T, secretValues } from '../../source/sandbox/cluster/objects.js';
import { storedReleases, type StoredRelease } from '../../source/sandbox/cluster/helm-storage.js';
import type { ClusterState } from '../../source/sandbox/cluster/state.js';
import type { RunningSandbox } from '../../source/sandbox/start.js';

export function clusterOf(sandbox: RunningSandbox, context: string): ClusterState {
  const cluster = sandbox.state.clusters.get(context);
  if (!cluster) throw new Error(`no cluster ${context}`);
  return cluster;
}

export function secretData(
  sandbox: RunningSandbox,
  context: string,
  namespace: string,
  name: string,
): Record<string, string> | undefined {
  return secretValues(clusterOf(sandbox, context), namespace, name);
}

export function secretNames(sandbox: RunningSandbox, context: string, namespace: string): string[] {
  return clusterOf(sandbox, context)
    .store.list(T.secret, namespace)
    .filter((s) => s.type !== 'helm.sh/release.v1')
    .map((s) => s.metadata.name);
}

export function releases(sandbox: RunningSandbox, context: string): StoredRelease[] {
  return storedReleases(clusterOf(sandbox, context));
}

export function events(
  sandbox: RunningSandbox,
  context: string,
  namespace?: string,
): { object: string; reason: string; message: string }[] {
  return clusterOf(sandbox, context)
    .store.list(T.event, namespace)
    .map((e) => ({
      object: `${String(e.involvedObject?.kind).toLowerCase()}/${e.involvedObject?.name}`,
      reason: e.reason,
      message: e.message,
    }));
}

/** Changes one value of a Secret in place, as someone editing it with kubectl would. */
export function setSecretValue(
  sandbox: RunningSandbox,
  context: string,
  namespace: string,
  name: string,
  key: string,
  value: string,
): void {
  const cluster = clusterOf(sandbox, context);
  const secret = cluster.store.get(T.secret, namespace, name);
  if (!secret) throw new Error(`no Secret ${namespace}/${name}`);
  cluster.store.put(
    T.secret,
    { ...secret, data: { ...secret.data, [key]: Buffer.from(value, 'utf8').toString('base64') } },
    Date.now(),
  );
}

export function namespaceLabels(
  sandbox: RunningSandbox,
  context: string,
  namespace: string,
): Record<string, string> | undefined {
  return clusterOf(sandbox, context).store.get(T.namespace, undefined, namespace)?.metadata.labels;
}

export function secretLabels(
  sandbox: RunningSandbox,
  context: string,
  namespace: string,
  name: string,
): Record<string, string> | undefined {
  return clusterOf(sandbox, context).store.get(T.secret, namespace, name)?.metadata.labels;
}
