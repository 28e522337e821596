/**
 * What the Secrets Store CSI driver can do on a node, read from the objects its installation
 * really created (whoever installed it: the AKS add-on, either Helm chart, plain manifests):
 * the CSIDriver object, a Running driver pod and a Running Azure provider pod on that node,
 * whether the driver's ServiceAccount is bound to a ClusterRole that may create Secrets (what
 * `syncSecret.enabled` and the add-on grant: sync of `secretObjects` needs it), and whether the
 * driver runs with `--enable-secret-rotation=true`.
 */
import { builtin } from '../k8s/registry.js';
import type { KubeObject } from '../k8s/types.js';
import { T } from './objects.js';
import type { ClusterState } from './state.js';

const CSI_DRIVER_NAME = 'secrets-store.csi.k8s.io';

const running = (pod: KubeObject) => pod.status?.phase === 'Running';

/** Driver pods run a container named `secrets-store` (driver chart and add-on DaemonSets). */
function isDriverPod(pod: KubeObject): boolean {
  return (pod.spec?.containers ?? []).some(
    (c: { name: string; args?: string[] }) =>
      c.name === 'secrets-store' && (c.args ?? []).some((a) => a.startsWith('--provider-volume')),
  );
}

/** The Azure provider's container is `provider-azure-installer` in both the chart and the add-on. */
function isProviderPod(pod: KubeObject): boolean {
  return (pod.spec?.containers ?? []).some((c: { name: string }) => c.name === 'provider-azure-installer');
}

export function driverRegistered(cluster: ClusterState): boolean {
  return cluster.store.get(builtin('csidrivers', 'storage.k8s.io'), undefined, CSI_DRIVER_NAME) !== undefined;
}

/** The running pods on a node that `kind` picks (judged before the store copies them). */
function podsOn(cluster: ClusterState, node: string, kind: (pod: KubeObject) => boolean): KubeObject[] {
  return cluster.store.list(T.pod, undefined, (pod) => pod.spec?.nodeName === node && running(pod) && kind(pod));
}

export function driverPodOn(cluster: ClusterState, node: string): KubeObject | undefined {
  return driverRegistered(cluster) ? podsOn(cluster, node, isDriverPod)[0] : undefined;
}

export function providerOn(cluster: ClusterState, node: string): boolean {
  return podsOn(cluster, node, isProviderPod).length > 0;
}

function ruleAllows(
  rule: { apiGroups?: string[]; resources?: string[]; verbs?: string[] },
  verb: string,
  resource: string,
): boolean {
  return (
    (rule.apiGroups ?? []).some((g) => g === '' || g === '*') &&
    (rule.resources ?? []).some((r) => r === resource || r === '*') &&
    (rule.verbs ?? []).some((v) => v === verb || v === '*')
  );
}

/** RBAC for the driver's ServiceAccount: may it create Secrets in any namespace? */
export function driverMaySync(cluster: ClusterState, driverPod: KubeObject): boolean {
  const account = driverPod.spec?.serviceAccountName ?? 'default';
  const namespace = driverPod.metadata.namespace;
  const roles = cluster.store.list(builtin('clusterroles', 'rbac.authorization.k8s.io'));
  return cluster.store.list(builtin('clusterrolebindings', 'rbac.authorization.k8s.io')).some((binding) => {
    const bound = (binding.subjects ?? []).some(
      (s: { kind: string; name: string; namespace?: string }) =>
        s.kind === 'ServiceAccount' && s.name === account && s.namespace === namespace,
    );
    if (!bound || binding.roleRef?.kind !== 'ClusterRole') return false;
    const role = roles.find((r) => r.metadata.name === binding.roleRef.name);
    return (role?.rules ?? []).some((rule: never) => ruleAllows(rule, 'create', 'secrets'));
  });
}

/** The driver pods on every node (Running, with the CSIDriver registered). */
export function driverPods(cluster: ClusterState): KubeObject[] {
  return driverRegistered(cluster)
    ? cluster.store.list(T.pod, undefined, (pod) => running(pod) && isDriverPod(pod))
    : [];
}

/** The Running pods on a node (the driver's own included). */
export function runningPodsOn(cluster: ClusterState, node: string): KubeObject[] {
  return podsOn(cluster, node, () => true);
}

const GO_DURATION_PART = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g;
const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * The driver's `--rotation-poll-interval` (a Go duration such as `2m`), in milliseconds; the
 * driver's default, 2m, when it isn't given (the driver's docs, topics/secret-auto-rotation.md).
 */
export function rotationPollIntervalMs(driverPod: KubeObject): number {
  const arg = (driverPod.spec?.containers ?? [])
    .flatMap((c: { args?: string[] }) => c.args ?? [])
    .find((a: string) => a.startsWith('--rotation-poll-interval='));
  const text = arg?.slice('--rotation-poll-interval='.length) ?? '2m';
  let ms = 0;
  for (const [, value, unit] of text.matchAll(GO_DURATION_PART)) ms += Number(value) * UNIT_MS[unit!]!;
  return ms > 0 ? ms : 120_000;
}

export function rotationOn(driverPod: KubeObject): boolean {
  return (driverPod.spec?.containers ?? []).some((c: { args?: string[] }) =>
    (c.args ?? []).some((a) => /^--enable-secret-rotation(=true)?$/.test(a)),
  );
}
