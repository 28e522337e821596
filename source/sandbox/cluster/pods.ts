/**
 * Starting a pod that mounts a SecretProviderClass: admission (ServiceAccount), the mount, and
 * the driver's sync of `secretObjects` into a Kubernetes Secret, which only happens while a pod
 * mounts the volume and only when the driver may create Secrets (syncSecret on, or the AKS
 * add-on). Failures become Warning events with the real texts.
 */
import type { SandboxState } from '../world/state.js';
import { csiDriverState } from './csi-driver.js';
import { mountSecretProviderClass, type MountOutcome } from './mount.js';
import { KubeApiError, putSecret } from './objects.js';
import type { ClusterState } from './state.js';

export interface PodSpec {
  namespace: string;
  namePrefix: string;
  serviceAccount: string;
  labels: Record<string, string>;
  spcName: string;
  volume: string;
  nodePublishSecretRef?: string;
  hostNetwork?: boolean;
  now: number;
}

export interface PodOutcome {
  pod: string;
  node: string;
  mount: MountOutcome;
  /** Name of the Secret the driver synced, when it did. */
  syncedSecret?: string;
}

export function addEvent(
  cluster: ClusterState,
  namespace: string,
  object: string,
  reason: string,
  message: string,
  at: number,
): void {
  cluster.events.push({ namespace, object, reason, message, at });
  // A long soak must not grow memory without bound; Kubernetes also expires events.
  if (cluster.events.length > 500) cluster.events.splice(0, cluster.events.length - 500);
}

export function startMountingPod(state: SandboxState, cluster: ClusterState, spec: PodSpec): PodOutcome {
  const namespace = cluster.namespaces.get(spec.namespace);
  if (!namespace) throw new KubeApiError(`Error from server (NotFound): namespaces "${spec.namespace}" not found`, 404);
  const pod = `${spec.namePrefix}-${(cluster.podCounter += 1).toString(36).padStart(5, '0')}`;
  if (spec.serviceAccount !== 'default' && !namespace.objects.has(`ServiceAccount/${spec.serviceAccount}`)) {
    throw new KubeApiError(
      `Error from server (Forbidden): pods "${pod}" is forbidden: error looking up service account ${spec.namespace}/${spec.serviceAccount}: serviceaccount "${spec.serviceAccount}" not found`,
      403,
    );
  }
  const node = cluster.nodes.find((candidate) => candidate.os === 'linux');
  if (!node)
    throw new KubeApiError(`0/${cluster.nodes.length} nodes are available: no Linux node can run the pod.`, 409);
  const mount = mountSecretProviderClass(state, cluster, {
    namespace: spec.namespace,
    pod,
    serviceAccount: spec.serviceAccount,
    nodePublishSecretRef: spec.nodePublishSecretRef,
    spcName: spec.spcName,
    volume: spec.volume,
    node,
    now: spec.now,
  });
  if (!mount.ok) {
    addEvent(cluster, spec.namespace, `pod/${pod}`, 'FailedMount', mount.error ?? 'MountVolume.SetUp failed', spec.now);
    return { pod, node: node.name, mount };
  }
  let syncedSecret: string | undefined;
  for (const target of mount.spc?.secretObjects ?? []) {
    if (csiDriverState(state, cluster).syncSecretEnabled !== true) {
      const message =
        `"failed to create Kubernetes secret" err="secrets is forbidden: User \\"system:serviceaccount:kube-system:secrets-store-csi-driver\\" cannot create resource \\"secrets\\" in API group \\"\\" in the namespace \\"${spec.namespace}\\"" ` +
        `spc="${spec.namespace}/${spec.spcName}" pod="${spec.namespace}/${pod}" secret="${spec.namespace}/${target.secretName}"`;
      addEvent(cluster, spec.namespace, `pod/${pod}`, 'SecretSyncFailed', message, spec.now);
      continue;
    }
    const data: Record<string, string> = {};
    for (const entry of target.data ?? []) {
      const object = mount.objects.find((candidate) => candidate.alias === entry.objectName);
      if (object?.value !== undefined) data[entry.key] = object.value;
    }
    putSecret(cluster, spec.namespace, {
      name: target.secretName,
      type: target.type ?? 'Opaque',
      labels: { ...(target.labels ?? {}), 'secrets-store.csi.k8s.io/managed': 'true' },
      data,
    });
    syncedSecret = target.secretName;
  }
  return { pod, node: node.name, mount, syncedSecret };
}
