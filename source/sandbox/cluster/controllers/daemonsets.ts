/**
 * The DaemonSet and Job controllers: a DaemonSet runs one pod on every node its node selector
 * admits (`kubernetes.io/os` and the like against the node's labels), a Job runs up to
 * `parallelism` pods until `completions` succeed, or fails once more pods failed than
 * `backoffLimit` allows (condition Failed, reason BackoffLimitExceeded). Status fields as `kubectl rollout status`, helm and kstatus read them.
 */
import type { KubeObject } from '../../k8s/types.js';
import { T } from '../objects.js';
import type { ClusterState } from '../state.js';
import { podSuffix } from './names.js';
import { isOwnedBy, ownedBy, podReady } from './owners.js';

export function nodeLabels(cluster: ClusterState, node: string): Record<string, string> {
  return cluster.store.get(T.node, undefined, node)?.metadata.labels ?? {};
}

export function admits(template: KubeObject['spec'], labels: Record<string, string>): boolean {
  return Object.entries((template?.nodeSelector ?? {}) as Record<string, string>).every(
    ([key, value]) => labels[key] === value,
  );
}

function newPod(owner: KubeObject, name: string, nodeName: string | undefined): KubeObject {
  const template = owner.spec.template ?? {};
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { ...template.metadata, name, namespace: owner.metadata.namespace, ownerReferences: [ownedBy(owner)] },
    spec: {
      serviceAccountName: 'default',
      restartPolicy: 'Always',
      ...template.spec,
      ...(nodeName ? { nodeName } : {}),
    },
    status: { phase: 'Pending' },
  };
}

export function reconcileDaemonSet(cluster: ClusterState, ds: KubeObject, now: number): void {
  const { store } = cluster;
  const ns = ds.metadata.namespace!;
  const pods = store.list(T.pod, ns, (pod) => isOwnedBy(pod, ds));
  const nodes = cluster.nodes.filter((node) => admits(ds.spec.template?.spec, nodeLabels(cluster, node.name)));
  nodes.forEach((node, index) => {
    if (pods.some((pod) => pod.spec?.nodeName === node.name)) return;
    pods.push(
      store.put(
        T.pod,
        newPod(ds, `${ds.metadata.name}-${podSuffix(`${ds.metadata.uid}/${node.name}`, index)}`, node.name),
        now,
      ),
    );
  });
  const mine = pods.filter((pod) => nodes.some((node) => node.name === pod.spec?.nodeName));
  for (const stray of pods.filter((pod) => !mine.includes(pod))) store.remove(T.pod, ns, stray.metadata.name);
  const ready = mine.filter(podReady).length;
  const status = {
    currentNumberScheduled: mine.length,
    desiredNumberScheduled: nodes.length,
    numberMisscheduled: 0,
    numberReady: ready,
    numberAvailable: ready,
    ...(nodes.length - ready > 0 ? { numberUnavailable: nodes.length - ready } : {}),
    updatedNumberScheduled: mine.length,
    observedGeneration: ds.metadata.generation,
  };
  if (JSON.stringify(ds.status ?? {}) !== JSON.stringify(status)) store.put(T.daemonSet, { ...ds, status }, now);
}

/**
 * The API server's defaulting of a Job without a manual selector: the selector and the pod
 * template's labels name the Job's uid (batch.kubernetes.io/controller-uid), which is how
 * `kubectl logs job/NAME` finds its pods.
 */
function withSelector(cluster: ClusterState, job: KubeObject, now: number): KubeObject {
  if (job.spec?.selector || job.spec?.manualSelector) return job;
  const uid = job.metadata.uid!;
  const ids = {
    'batch.kubernetes.io/controller-uid': uid,
    'controller-uid': uid,
    'batch.kubernetes.io/job-name': job.metadata.name,
    'job-name': job.metadata.name,
  };
  const template = job.spec.template ?? {};
  const spec = {
    ...job.spec,
    selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } },
    template: { ...template, metadata: { ...template.metadata, labels: { ...template.metadata?.labels, ...ids } } },
  };
  return cluster.store.put(T.job, { ...job, spec }, now);
}

export function reconcileJob(cluster: ClusterState, given: KubeObject, now: number): void {
  const { store } = cluster;
  const job = withSelector(cluster, given, now);
  const ns = job.metadata.namespace!;
  const pods = store.list(T.pod, ns, (pod) => isOwnedBy(pod, job));
  const count = (phase: string) => pods.filter((pod) => pod.status?.phase === phase).length;
  const completions = job.spec.completions ?? 1;
  // Kubernetes' defaults: parallelism 1, backoffLimit 6; more failed pods than backoffLimit fail the Job.
  const parallelism = job.spec.parallelism ?? 1;
  const backoffLimit = job.spec.backoffLimit ?? 6;
  const failedOut = count('Failed') > backoffLimit;
  const template = job.spec.template ?? {};
  const labels = {
    ...template.metadata?.labels,
    'batch.kubernetes.io/job-name': job.metadata.name,
    'job-name': job.metadata.name,
  };
  const active = () => pods.length - count('Succeeded') - count('Failed');
  while (!failedOut && active() < parallelism && count('Succeeded') + active() < completions) {
    const name = `${job.metadata.name}-${podSuffix(job.metadata.uid!, pods.length)}`;
    pods.push(
      store.put(
        T.pod,
        {
          ...newPod(job, name, undefined),
          metadata: { ...template.metadata, labels, name, namespace: ns, ownerReferences: [ownedBy(job)] },
        },
        now,
      ),
    );
  }
  const succeeded = count('Succeeded');
  const failed = count('Failed');
  const at = new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const done = succeeded >= completions;
  const finished = done || failedOut;
  const conditions = done
    ? [
        { type: 'SuccessCriteriaMet', status: 'True', lastProbeTime: at, lastTransitionTime: at },
        { type: 'Complete', status: 'True', lastProbeTime: at, lastTransitionTime: at },
      ]
    : [
        {
          type: 'FailureTarget',
          status: 'True',
          reason: 'BackoffLimitExceeded',
          message: 'Job has reached the specified backoff limit',
          lastProbeTime: at,
          lastTransitionTime: at,
        },
        {
          type: 'Failed',
          status: 'True',
          reason: 'BackoffLimitExceeded',
          message: 'Job has reached the specified backoff limit',
          lastProbeTime: at,
          lastTransitionTime: at,
        },
      ];
  const status = {
    ...(job.status?.startTime ? { startTime: job.status.startTime } : { startTime: at }),
    active: pods.length - succeeded - failed,
    ...(succeeded ? { succeeded } : {}),
    ...(failed ? { failed } : {}),
    ready: pods.filter(podReady).length,
    ...(finished
      ? {
          ...(done ? { completionTime: job.status?.completionTime ?? at } : {}),
          conditions: job.status?.conditions ?? conditions,
        }
      : {}),
  };
  const comparable = (value: Record<string, unknown>) =>
    JSON.stringify({
      ...value,
      conditions: undefined,
      completionTime: undefined,
      startTime: undefined,
      done: !!value.completionTime,
      failedOut: JSON.stringify(value.conditions ?? []).includes('"Failed"'),
    });
  if (comparable(job.status ?? {}) !== comparable(status)) store.put(T.job, { ...job, status }, now);
}
