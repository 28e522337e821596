/**
 * The driver's sync of `secretObjects` into Kubernetes Secrets: only after a pod mounted the
 * volume ("The secrets will only sync once you start a pod mounting the secrets", provider
 * docs), only when the driver's ServiceAccount may create Secrets (the chart's
 * `syncSecret.enabled` role, or the add-on's), labelled `secrets-store.csi.k8s.io/managed=true`
 * and owned by the pod's SecretProviderClassPodStatus, so they go away with the last pod that
 * mounts them. With rotation on, running pods' objects are read again at each poll tick and
 * the Secret follows.
 */
import type { KubeObject } from '../../k8s/types.js';
import type { SandboxState } from '../../world/state.js';
import {
  driverMaySync,
  driverPodOn,
  driverPods,
  rotationOn,
  rotationPollIntervalMs,
  runningPodsOn,
} from '../csi-driver.js';
import { mountSecretProviderClass, type MountOutcome } from '../mount.js';
import { SPC_GROUP, T, encodeData, servedType } from '../objects.js';
import type { ClusterState } from '../state.js';
import { ownedBy } from './owners.js';

function podStatusObject(
  cluster: ClusterState,
  pod: KubeObject,
  spcName: string,
  outcome: MountOutcome,
  now: number,
): KubeObject | undefined {
  const type = servedType(cluster, SPC_GROUP, 'secretproviderclasspodstatuses');
  if (!type) return undefined;
  const ns = pod.metadata.namespace!;
  return cluster.store.put(
    type,
    {
      apiVersion: `${SPC_GROUP}/v1`,
      kind: 'SecretProviderClassPodStatus',
      metadata: {
        name: `${pod.metadata.name}-${ns}-${spcName}`,
        namespace: ns,
        labels: { 'internal.secrets-store.csi.k8s.io/node-name': pod.spec.nodeName },
        ownerReferences: [{ ...ownedBy(pod), controller: false }],
      },
      status: {
        podName: pod.metadata.name,
        secretProviderClassName: spcName,
        mounted: true,
        targetPath: `/var/lib/kubelet/pods/${pod.metadata.uid}/volumes/kubernetes.io~csi/secrets-store/mount`,
        // The provider reports each object's version id; the driver keeps it here (rotation compares it).
        objects: outcome.objects.map((object) => ({
          id: `secret/${object.objectName}`,
          version: object.version ?? '',
        })),
      },
    },
    now,
  );
}

export function syncSecretObjects(
  state: SandboxState,
  cluster: ClusterState,
  pod: KubeObject,
  spcName: string,
  outcome: MountOutcome,
  now: number,
): void {
  const targets = outcome.spc?.secretObjects ?? [];
  const status = podStatusObject(cluster, pod, spcName, outcome, now);
  if (targets.length === 0) return;
  const driverPod = driverPodOn(cluster, pod.spec.nodeName);
  const ns = pod.metadata.namespace!;
  for (const target of targets) {
    if (!driverPod || !driverMaySync(cluster, driverPod)) {
      // The reconciler can't even read Secrets: it logs and retries, and emits no event
      // (secretproviderclasspodstatus_controller.go: secretExists fails, then SyncSecretForbiddenWarning).
      if (driverPod) logForbidden(cluster, driverPod, ns, target.secretName, spcName, pod.metadata.name);
      continue;
    }
    const data: Record<string, string> = {};
    for (const entry of target.data ?? []) {
      const object = outcome.objects.find((candidate) => candidate.alias === entry.objectName);
      if (object?.value !== undefined) data[entry.key] = object.value;
    }
    const existing = cluster.store.get(T.secret, ns, target.secretName);
    const owners = [
      ...(existing?.metadata.ownerReferences ?? []).filter((ref) => ref.uid !== status?.metadata.uid),
      ...(status ? [{ ...ownedBy(status), controller: false }] : []),
    ];
    cluster.store.put(
      T.secret,
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: {
          ...(existing?.metadata ?? {}),
          name: target.secretName,
          namespace: ns,
          labels: { ...(target.labels ?? {}), 'secrets-store.csi.k8s.io/managed': 'true' },
          ownerReferences: owners,
        },
        type: target.type ?? 'Opaque',
        data: encodeData(data),
      },
      now,
    );
  }
}

function logForbidden(
  cluster: ClusterState,
  driverPod: KubeObject,
  namespace: string,
  secret: string,
  spc: string,
  pod: string,
): void {
  const key = `${driverPod.metadata.namespace}/${driverPod.metadata.name}/secrets-store`;
  const account = driverPod.spec?.serviceAccountName ?? 'default';
  const line =
    `E "failed to check if secret exists" err="secrets \\"${secret}\\" is forbidden: User \\"system:serviceaccount:${driverPod.metadata.namespace}:${account}\\" cannot get resource \\"secrets\\" in API group \\"\\" in the namespace \\"${namespace}\\"" secret="${namespace}/${secret}" spc="${namespace}/${spc}" pod="${namespace}/${pod}"\n` +
    'W The secret operation failed with forbidden error. If you installed the CSI driver using helm, ensure syncSecret.enabled=true is set.\n';
  const before = cluster.logs.get(key) ?? '';
  if (!before.endsWith(line)) cluster.logs.set(key, (before + line).slice(-20_000));
}

/**
 * Rotation as the driver runs it: each driver pod started with rotation on keeps a ticker of
 * `--rotation-poll-interval` (default 2m) and, at each tick, mounts again the volumes of every
 * pod on its node (the driver's docs, topics/secret-auto-rotation.md: "periodically based on the
 * rotation poll interval"). A change in the vault reaches the files and the synced Secrets at
 * the next tick, not at once.
 */
export function rotateDue(state: SandboxState, cluster: ClusterState, now: number): void {
  for (const driverPod of driverPods(cluster)) {
    if (!rotationOn(driverPod)) continue;
    const uid = driverPod.metadata.uid!;
    const started = Date.parse(driverPod.status?.startTime ?? '') || now;
    const last = cluster.rotationTicks.get(uid) ?? started;
    if (now - last < rotationPollIntervalMs(driverPod)) continue;
    cluster.rotationTicks.set(uid, now);
    for (const pod of runningPodsOn(cluster, driverPod.spec.nodeName)) rotate(state, cluster, pod, now);
  }
}

/** Rotation of one running pod: re-read its objects and update what was synced. */
function rotate(state: SandboxState, cluster: ClusterState, pod: KubeObject, now: number): void {
  const node = cluster.nodes.find((candidate) => candidate.name === pod.spec.nodeName);
  if (!node) return;
  for (const volume of pod.spec.volumes ?? []) {
    if (volume.csi?.driver !== 'secrets-store.csi.k8s.io') continue;
    const spcName = volume.csi.volumeAttributes?.secretProviderClass ?? '';
    const outcome = mountSecretProviderClass(state, cluster, {
      namespace: pod.metadata.namespace!,
      pod: pod.metadata.name,
      serviceAccount: pod.spec.serviceAccountName ?? 'default',
      nodePublishSecretRef: volume.csi.nodePublishSecretRef?.name,
      spcName,
      volume: volume.name,
      node,
      now,
    });
    if (outcome.ok) syncSecretObjects(state, cluster, pod, spcName, outcome, now);
  }
}
