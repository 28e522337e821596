/**
 * The Deployment and ReplicaSet controllers, reduced to what clients observe: a Deployment
 * owns one ReplicaSet per pod template (named `<deployment>-<pod-template-hash>`), the newest
 * scaled to `replicas` and older ones scaled down once it is available; a ReplicaSet keeps
 * `replicas` pods. Status fields and conditions are the ones `kubectl rollout status`,
 * helm 3's `--wait` and kstatus (helm 4) read.
 */
import type { KubeObject } from '../../k8s/types.js';
import { T } from '../objects.js';
import type { ClusterState } from '../state.js';
import { podSuffix, templateHash } from './names.js';
import { isOwnedBy, ownedBy, podReady } from './owners.js';

const stamp = (now: number) => new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z');

function condition(type: string, status: boolean, reason: string, message: string, now: number) {
  return {
    type,
    status: status ? 'True' : 'False',
    lastUpdateTime: stamp(now),
    lastTransitionTime: stamp(now),
    reason,
    message,
  };
}

export function reconcileDeployment(cluster: ClusterState, deployment: KubeObject, now: number): void {
  const { store } = cluster;
  const ns = deployment.metadata.namespace!;
  const hash = templateHash(deployment.spec.template);
  const name = `${deployment.metadata.name}-${hash}`;
  const owned = store.list(T.replicaSet, ns, (rs) => isOwnedBy(rs, deployment));
  const replicas = deployment.spec.replicas ?? 1;
  const revision = String(
    owned.length === 0
      ? 1
      : Math.max(...owned.map((rs) => Number(rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0))) +
          (owned.some((rs) => rs.metadata.name === name) ? 0 : 1),
  );
  let current = owned.find((rs) => rs.metadata.name === name);
  const template = {
    ...deployment.spec.template,
    metadata: {
      ...deployment.spec.template.metadata,
      labels: { ...deployment.spec.template.metadata?.labels, 'pod-template-hash': hash },
    },
  };
  const desired: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      ...(current?.metadata ?? { name, namespace: ns }),
      labels: template.metadata.labels,
      annotations: {
        'deployment.kubernetes.io/desired-replicas': String(replicas),
        'deployment.kubernetes.io/revision':
          current?.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? revision,
      },
      ownerReferences: [ownedBy(deployment)],
    },
    spec: {
      replicas,
      selector: { matchLabels: { ...deployment.spec.selector?.matchLabels, 'pod-template-hash': hash } },
      template,
    },
    ...(current?.status ? { status: current.status } : {}),
  };
  current = store.put(T.replicaSet, desired, now);
  const newReady = (current.status?.readyReplicas ?? 0) >= replicas;
  for (const old of owned.filter((rs) => rs.metadata.name !== name)) {
    if (newReady && old.spec.replicas !== 0)
      store.put(T.replicaSet, { ...old, spec: { ...old.spec, replicas: 0 } }, now);
  }
  const all = store.list(T.replicaSet, ns, (rs) => isOwnedBy(rs, deployment));
  const sum = (field: string) => all.reduce((total, rs) => total + (rs.status?.[field] ?? 0), 0);
  const updated = current.status?.replicas ?? 0;
  const ready = sum('readyReplicas');
  const available = sum('availableReplicas');
  const complete =
    updated >= replicas && (current.status?.availableReplicas ?? 0) >= replicas && sum('replicas') === replicas;
  const status = {
    observedGeneration: deployment.metadata.generation,
    replicas: sum('replicas'),
    updatedReplicas: updated,
    readyReplicas: ready,
    availableReplicas: available,
    ...(sum('replicas') - available > 0 ? { unavailableReplicas: sum('replicas') - available } : {}),
    conditions: [
      available >= replicas
        ? condition('Available', true, 'MinimumReplicasAvailable', 'Deployment has minimum availability.', now)
        : condition(
            'Available',
            false,
            'MinimumReplicasUnavailable',
            'Deployment does not have minimum availability.',
            now,
          ),
      complete
        ? condition(
            'Progressing',
            true,
            'NewReplicaSetAvailable',
            `ReplicaSet "${name}" has successfully progressed.`,
            now,
          )
        : condition('Progressing', true, 'ReplicaSetUpdated', `ReplicaSet "${name}" is progressing.`, now),
    ],
  };
  const previous = deployment.status?.conditions ?? [];
  const same =
    JSON.stringify({
      ...deployment.status,
      conditions: previous.map((c: Record<string, string>) => ({ ...c, lastUpdateTime: '', lastTransitionTime: '' })),
    }) ===
    JSON.stringify({
      ...status,
      conditions: status.conditions.map((c) => ({ ...c, lastUpdateTime: '', lastTransitionTime: '' })),
    });
  if (!same)
    store.put(
      T.deployment,
      {
        ...deployment,
        metadata: {
          ...deployment.metadata,
          annotations: {
            ...deployment.metadata.annotations,
            'deployment.kubernetes.io/revision':
              current.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? '1',
          },
        },
        status,
      },
      now,
    );
}

/** Keeps `replicas` pods from the template; returns nothing, the kubelet moves them on. */
export function reconcileReplicaSet(cluster: ClusterState, rs: KubeObject, now: number): void {
  const { store } = cluster;
  const ns = rs.metadata.namespace!;
  const pods = store.list(T.pod, ns, (pod) => isOwnedBy(pod, rs));
  const replicas = rs.spec.replicas ?? 1;
  for (let index = 0; pods.length < replicas && index < replicas + pods.length + 5; index++) {
    const name = `${rs.metadata.name}-${podSuffix(rs.metadata.uid!, index)}`;
    if (pods.some((pod) => pod.metadata.name === name) || store.get(T.pod, ns, name)) continue;
    const template = rs.spec.template ?? {};
    pods.push(
      store.put(
        T.pod,
        {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { ...template.metadata, name, namespace: ns, ownerReferences: [ownedBy(rs)] },
          spec: { serviceAccountName: 'default', restartPolicy: 'Always', ...template.spec },
          status: { phase: 'Pending' },
        },
        now,
      ),
    );
  }
  for (const extra of pods.slice(replicas)) store.remove(T.pod, ns, extra.metadata.name);
  const kept = pods.slice(0, replicas);
  const ready = kept.filter(podReady).length;
  const status = {
    replicas: kept.length,
    fullyLabeledReplicas: kept.length,
    readyReplicas: ready,
    availableReplicas: ready,
    observedGeneration: rs.metadata.generation,
  };
  if (JSON.stringify(rs.status ?? {}) !== JSON.stringify(status)) store.put(T.replicaSet, { ...rs, status }, now);
}
