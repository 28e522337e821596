/**
 * Runs the cluster's controllers until nothing changes (bounded): the AKS add-on manager,
 * Deployments, ReplicaSets, DaemonSets, CronJobs, Jobs, then the scheduler and kubelet for every
 * pod, and rotation for running pods when a driver's poll interval is up. Called before each API
 * request and after each write, so a client always sees a settled cluster; what can't settle
 * yet (a role still propagating) settles on a later request, as kubelet's retries would.
 */
import type { SandboxState } from '../../world/state.js';
import { T } from '../objects.js';
import type { KubeObject } from '../../k8s/types.js';
import type { ClusterState } from '../state.js';
import { reconcileAddon } from './addon.js';
import { reconcileCrds } from './crds.js';
import { reconcileDaemonSet, reconcileJob } from './daemonsets.js';
import { reconcileCronJob } from './cronjobs.js';
import { builtin } from '../../k8s/registry.js';
import { runPod } from './kubelet.js';
import { rotateDue } from './csi-sync.js';
import { reconcileDeployment, reconcileReplicaSet } from './workloads.js';

const MAX_ROUNDS = 8;

const awaitsKubelet = (pod: KubeObject): boolean =>
  !['Succeeded', 'Failed', 'Running'].includes(pod.status?.phase ?? 'Pending');

export function reconcile(state: SandboxState, cluster: ClusterState, now: number): void {
  const { store } = cluster;
  reconcileAddon(state, cluster, now);
  reconcileCrds(cluster, now);
  rotateDue(state, cluster, now);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const before = store.revision;
    // Deployments, ReplicaSets and DaemonSets follow from the store alone (and the cluster's
    // fixed nodes): at a revision where they changed nothing, they would change nothing again.
    if (cluster.settled.workloads !== before) {
      for (const deployment of store.list(T.deployment)) reconcileDeployment(cluster, deployment, now);
      for (const rs of store.list(T.replicaSet)) reconcileReplicaSet(cluster, rs, now);
      for (const ds of store.list(T.daemonSet)) reconcileDaemonSet(cluster, ds, now);
      if (store.revision === before) cluster.settled.workloads = before;
    }
    for (const cronJob of store.list(builtin('cronjobs', 'batch'))) reconcileCronJob(cluster, cronJob, now);
    for (const job of store.list(T.job)) reconcileJob(cluster, job, now);
    // The kubelet has work only for pods not yet running or ended (runPod leaves the others).
    for (const pod of store.list(T.pod, undefined, awaitsKubelet)) runPod(state, cluster, pod, now);
    if (store.revision === before) return;
  }
}
