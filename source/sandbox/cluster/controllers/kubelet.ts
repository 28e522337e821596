/**
 * The scheduler and kubelet for the simulated nodes: a pod without a node goes to the admitted
 * node with the fewest pods of its owner; then its volumes are set up (Secrets, ConfigMaps,
 * and Secrets Store CSI volumes, mounted as the driver and the Azure provider would from that
 * node), its environment is resolved, and it runs. A failed mount leaves it ContainerCreating
 * with a FailedMount event; a missing Secret or key leaves it CreateContainerConfigError.
 * Containers that end (restartPolicy Never/OnFailure) succeed at once, but for the kv-monitor's,
 * which fails when one of its checks does (monitor-run.ts).
 */
import type { KubeObject } from '../../k8s/types.js';
import type { SandboxState } from '../../world/state.js';
import { mountSecretProviderClass, type MountOutcome } from '../mount.js';
import { T, recordEvent, secretValues } from '../objects.js';
import { isProbeContainer, probeLog, probeTerminationMessage } from '../probe.js';
import { isMonitorContainer, runMonitorPod } from '../monitor-run.js';
import type { ClusterNode, ClusterState } from '../state.js';
import { resolveMountIdentity } from '../identity.js';
import { parseSpc } from '../spc.js';
import { getSpc } from '../objects.js';
import { admits, nodeLabels } from './daemonsets.js';
import { syncSecretObjects } from './csi-sync.js';

const stamp = (now: number) => new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z');

function schedule(cluster: ClusterState, pod: KubeObject): ClusterNode | undefined {
  const candidates = cluster.nodes.filter((node) => admits(pod.spec, nodeLabels(cluster, node.name)));
  const owner = pod.metadata.ownerReferences?.[0]?.uid;
  const load = (node: ClusterNode) =>
    cluster.store
      .list(T.pod)
      .filter((p) => p.spec?.nodeName === node.name && (!owner || p.metadata.ownerReferences?.[0]?.uid === owner))
      .length;
  return [...candidates].sort((a, b) => load(a) - load(b))[0];
}

interface Blocked {
  reason: 'ContainerCreating' | 'CreateContainerConfigError';
  event: { reason: string; message: string };
}

type Volume = {
  name: string;
  secret?: { secretName: string; optional?: boolean };
  configMap?: { name: string; optional?: boolean };
  csi?: { driver: string; volumeAttributes?: Record<string, string>; nodePublishSecretRef?: { name: string } };
};

function volumes(
  state: SandboxState,
  cluster: ClusterState,
  pod: KubeObject,
  node: ClusterNode,
  now: number,
): { blocked?: Blocked; mounts: { volume: string; spc: string; outcome: MountOutcome }[] } {
  const ns = pod.metadata.namespace!;
  const mounts: { volume: string; spc: string; outcome: MountOutcome }[] = [];
  for (const volume of (pod.spec?.volumes ?? []) as Volume[]) {
    const fail = (message: string): { blocked: Blocked; mounts: typeof mounts } => ({
      blocked: { reason: 'ContainerCreating', event: { reason: 'FailedMount', message } },
      mounts,
    });
    if (volume.secret && !volume.secret.optional && !cluster.store.get(T.secret, ns, volume.secret.secretName)) {
      return fail(
        `MountVolume.SetUp failed for volume "${volume.name}" : secret "${volume.secret.secretName}" not found`,
      );
    }
    if (volume.configMap && !volume.configMap.optional && !cluster.store.get(T.configMap, ns, volume.configMap.name)) {
      return fail(
        `MountVolume.SetUp failed for volume "${volume.name}" : configmap "${volume.configMap.name}" not found`,
      );
    }
    if (volume.csi?.driver === 'secrets-store.csi.k8s.io') {
      const spc = volume.csi.volumeAttributes?.secretProviderClass ?? '';
      const outcome = mountSecretProviderClass(state, cluster, {
        namespace: ns,
        pod: pod.metadata.name,
        serviceAccount: pod.spec?.serviceAccountName ?? 'default',
        nodePublishSecretRef: volume.csi.nodePublishSecretRef?.name,
        spcName: spc,
        volume: volume.name,
        node,
        now,
      });
      if (!outcome.ok) return fail(outcome.error ?? `MountVolume.SetUp failed for volume "${volume.name}"`);
      mounts.push({ volume: volume.name, spc, outcome });
    }
  }
  return { mounts };
}

type Env = {
  name: string;
  valueFrom?: {
    secretKeyRef?: { name: string; key: string; optional?: boolean };
    configMapKeyRef?: { name: string; key: string; optional?: boolean };
  };
};

function environment(cluster: ClusterState, pod: KubeObject): Blocked | undefined {
  const ns = pod.metadata.namespace!;
  for (const container of pod.spec?.containers ?? []) {
    for (const source of container.envFrom ?? []) {
      if (source.secretRef && !source.secretRef.optional && !cluster.store.get(T.secret, ns, source.secretRef.name))
        return configError(`secret "${source.secretRef.name}" not found`);
    }
    for (const env of (container.env ?? []) as Env[]) {
      const ref = env.valueFrom?.secretKeyRef;
      if (ref && !ref.optional) {
        const data = secretValues(cluster, ns, ref.name);
        if (!data) return configError(`secret "${ref.name}" not found`);
        if (!(ref.key in data)) return configError(`couldn't find key ${ref.key} in Secret ${ns}/${ref.name}`);
      }
      const cm = env.valueFrom?.configMapKeyRef;
      if (cm && !cm.optional && !cluster.store.get(T.configMap, ns, cm.name))
        return configError(`configmap "${cm.name}" not found`);
    }
  }
  return undefined;
}

function configError(message: string): Blocked {
  return { reason: 'CreateContainerConfigError', event: { reason: 'Failed', message: `Error: ${message}` } };
}

/** `messages`: each ended container's termination message, by container name. */
function containerStatuses(
  pod: KubeObject,
  state: Record<string, unknown>,
  ready: boolean,
  messages: ReadonlyMap<string, string> = new Map(),
) {
  return (pod.spec?.containers ?? []).map((c: { name: string; image: string }) => {
    const message = messages.get(c.name);
    const own = message && state.terminated ? { terminated: { ...(state.terminated as object), message } } : state;
    return { name: c.name, image: c.image, imageID: '', ready, restartCount: 0, started: ready, state: own };
  });
}

const timeless = (value: unknown) =>
  JSON.stringify(value, (key, inner) => (/(Time|At)$/.test(key) ? undefined : inner));

function setStatus(cluster: ClusterState, pod: KubeObject, status: Record<string, unknown>, now: number): KubeObject {
  // Conditions keep their transition times while nothing else changes, as kubelet's do.
  if (
    timeless({ ...status, startTime: undefined, qosClass: undefined }) ===
    timeless({ ...pod.status, startTime: undefined, qosClass: undefined })
  )
    return pod;
  return cluster.store.put(
    T.pod,
    { ...pod, status: { ...status, startTime: pod.status?.startTime ?? stamp(now), qosClass: 'BestEffort' } },
    now,
  );
}

function identityFor(
  state: SandboxState,
  cluster: ClusterState,
  pod: KubeObject,
  mount: { volume: string; spc: string } | undefined,
): string | undefined {
  if (!mount) return undefined;
  const spcObject = getSpc(cluster, pod.metadata.namespace!, mount.spc);
  const spc = spcObject ? parseSpc(spcObject) : undefined;
  if (!spc || 'error' in spc) return undefined;
  const context = {
    namespace: pod.metadata.namespace!,
    pod: pod.metadata.name,
    serviceAccount: pod.spec?.serviceAccountName ?? 'default',
  };
  const identity = resolveMountIdentity(state, cluster, spc.identity, context, { volume: mount.volume, ...context });
  return identity.ok ? identity.principal.objectId : undefined;
}

export function runPod(state: SandboxState, cluster: ClusterState, pod: KubeObject, now: number): void {
  const phase = pod.status?.phase ?? 'Pending';
  if (phase === 'Succeeded' || phase === 'Failed' || phase === 'Running') return;
  let current = pod;
  if (!current.spec?.nodeName) {
    const node = schedule(cluster, current);
    if (!node) return;
    current = cluster.store.put(T.pod, { ...current, spec: { ...current.spec, nodeName: node.name } }, now);
    recordEvent(
      cluster,
      current,
      'Normal',
      'Scheduled',
      `Successfully assigned ${current.metadata.namespace}/${current.metadata.name} to ${node.name}`,
      'default-scheduler',
      now,
    );
  }
  const node = cluster.nodes.find((candidate) => candidate.name === current.spec.nodeName);
  if (!node) return;
  const { blocked: volumeBlock, mounts } = volumes(state, cluster, current, node, now);
  for (const mount of mounts) syncSecretObjects(state, cluster, current, mount.spc, mount.outcome, now);
  const blocked = volumeBlock ?? environment(cluster, current);
  if (blocked) {
    const waiting = containerStatuses(
      current,
      {
        waiting: {
          reason: blocked.reason,
          ...(blocked.reason === 'CreateContainerConfigError'
            ? { message: blocked.event.message.replace(/^Error: /, '') }
            : {}),
        },
      },
      false,
    );
    const previous = JSON.stringify(current.status?.containerStatuses ?? []);
    current = setStatus(
      cluster,
      current,
      {
        phase: 'Pending',
        hostIP: node.position.kind === 'vnet' ? node.position.privateIp : undefined,
        conditions: [
          { type: 'PodScheduled', status: 'True', lastTransitionTime: stamp(now) },
          { type: 'Ready', status: 'False', reason: 'ContainersNotReady', lastTransitionTime: stamp(now) },
          { type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady', lastTransitionTime: stamp(now) },
        ],
        containerStatuses: waiting,
      },
      now,
    );
    const known = cluster.store
      .list(T.event, current.metadata.namespace)
      .some(
        (e) =>
          e.involvedObject?.uid === current.metadata.uid &&
          e.reason === blocked.event.reason &&
          e.message === blocked.event.message,
      );
    if (!known || previous !== JSON.stringify(waiting))
      recordEvent(cluster, current, 'Warning', blocked.event.reason, blocked.event.message, 'kubelet', now);
    return;
  }
  const ends = ['Never', 'OnFailure'].includes(current.spec.restartPolicy);
  const principal = identityFor(state, cluster, current, mounts[0]);
  let exitCode = 0;
  const messages = new Map<string, string>();
  for (const container of current.spec.containers ?? []) {
    let log = '';
    if (isMonitorContainer(cluster, current, container)) {
      const run = runMonitorPod(state, cluster, current, container, node, now);
      log = run.log;
      exitCode = Math.max(exitCode, run.exitCode);
    } else if (isProbeContainer(container)) {
      log = probeLog(state, container, node, mounts[0]?.outcome, principal, now);
      const message = probeTerminationMessage(container, log);
      if (message) messages.set(container.name, message);
    }
    cluster.logs.set(`${current.metadata.namespace}/${current.metadata.name}/${container.name}`, log);
  }
  const at = stamp(now);
  const failed = ends && exitCode !== 0;
  setStatus(
    cluster,
    current,
    {
      phase: failed ? 'Failed' : ends ? 'Succeeded' : 'Running',
      hostIP: node.position.kind === 'vnet' ? node.position.privateIp : undefined,
      podIP:
        current.spec.hostNetwork && node.position.kind === 'vnet'
          ? node.position.privateIp
          : `10.244.${cluster.nodes.indexOf(node)}.${(cluster.store.size(T.pod) % 250) + 2}`,
      conditions: [
        { type: 'PodScheduled', status: 'True', lastTransitionTime: at },
        { type: 'Initialized', status: 'True', lastTransitionTime: at },
        {
          type: 'Ready',
          status: ends ? 'False' : 'True',
          ...(ends ? { reason: 'PodCompleted' } : {}),
          lastTransitionTime: at,
        },
        {
          type: 'ContainersReady',
          status: ends ? 'False' : 'True',
          ...(ends ? { reason: 'PodCompleted' } : {}),
          lastTransitionTime: at,
        },
      ],
      containerStatuses: containerStatuses(
        current,
        ends
          ? { terminated: { exitCode, reason: failed ? 'Error' : 'Completed', startedAt: at, finishedAt: at } }
          : { running: { startedAt: at } },
        !ends,
        messages,
      ),
    },
    now,
  );
  recordEvent(
    cluster,
    current,
    'Normal',
    'Started',
    `Started container ${current.spec.containers?.[0]?.name ?? ''}`,
    'kubelet',
    now,
  );
}
