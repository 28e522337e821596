/**
 * Reads everything csi-detection needs from the cluster, in parallel, and lets it decide.
 */
import type { CsiDriverState, HelmRelease } from './port.js';
import type { BoundTools } from './tool-context.js';
import { commandFailed } from './run-tool.js';
import { EVERY_STATUS, parseReleaseList } from './helm-release.js';
import {
  CSI_DRIVER_NAME,
  DRIVER_APP_LABELS,
  isCsiDaemonSet,
  PROVIDER_APP_LABELS,
  SPC_CRD_NAME,
  SYNC_CLUSTER_ROLES,
  decideCsiState,
  type DaemonSetJson,
  type NodeJson,
  type PodJson,
} from './csi-detection.js';

const appSelector = `app in (${[...DRIVER_APP_LABELS, ...PROVIDER_APP_LABELS].join(',')})`;

/** What the gather read on the way that other readings can keep rather than read again. */
export interface GatherByproducts {
  /** Every node as listed (addresses included). */
  nodes?(nodes: readonly NodeJson[]): void;
  /** Every current release in every namespace, as `helm list` describes each. */
  releases?(releases: readonly HelmRelease[]): void;
}

/** The driver's objects asked for by name: what exists (kubectl's resource kinds) and whether the sync roles could be read. */
export interface NamedCsiObjects {
  kinds: string[];
  syncRoleReadable: boolean;
}

/** `named`: that part already read (readNamed), e.g. beside a namespace moments before. */
export async function gatherCsiState(
  tools: BoundTools,
  byproducts: GatherByproducts = {},
  named?: Promise<NamedCsiObjects>,
): Promise<CsiDriverState> {
  const items = async <T>(args: string[]): Promise<T[]> =>
    (JSON.parse((await tools.kubectl([...args, '--output', 'json'])).stdout || '{}') as { items?: T[] }).items ?? [];

  // At most four processes, not seven: each kubectl start costs tens of milliseconds of CPU and
  // a TLS handshake, and a run reads this state several times. Objects of different kinds share
  // a call when they share their RBAC fate (a denied read of either fails the whole read); the
  // sync ClusterRoles, which a namespace admin may not read, ride with the named objects and
  // their denial alone is an answer ("unknown").
  const [{ kinds: found, syncRoleReadable }, daemonSetsAndNodes] = await Promise.all([
    named ?? readNamed(tools),
    // Every DaemonSet: they are told apart by their selector's `app` label, which the add-on's
    // DaemonSets carry though their own labels may not. Nodes come in the same list.
    items<(DaemonSetJson | NodeJson) & { kind?: string }>(['get', 'daemonsets,nodes', '--all-namespaces']),
  ]);
  const daemonSets = daemonSetsAndNodes.filter((item) => item.kind === 'DaemonSet') as DaemonSetJson[];
  const anyOfIt =
    found.some((kind) => kind.startsWith('csidriver.') || kind.startsWith('customresourcedefinition.')) ||
    daemonSets.some(isCsiDaemonSet);
  // Driver pods and the release that brought the driver, only where some of it is: a cluster
  // without its CSIDriver, CRD or DaemonSets runs no driver pod, and a Helm install records its
  // release (pending-install) before it creates the objects, so a release seen without them
  // would be one still starting, which the install's own status check refuses anyway.
  // The releases are read after the objects, not beside them: Helm deletes a record only after
  // the release's objects, so a driver seen above that a Helm install brings is always seen with
  // its release, even mid-install. Pending too: a release still installing already brings it.
  const [releases, pods] = anyOfIt
    ? await Promise.all([
        tools
          .helm(['list', '--all-namespaces', ...EVERY_STATUS, '--output', 'json'])
          .then((run) => parseReleaseList(run.stdout)),
        items<PodJson>(['get', 'pod', '--all-namespaces', '--selector', appSelector]),
      ])
    : [[], []];
  byproducts.nodes?.(daemonSetsAndNodes.filter((item) => item.kind === 'Node') as NodeJson[]);
  if (anyOfIt) byproducts.releases?.(releases);
  const syncRole = syncRoleReadable ? found.some((kind) => kind.startsWith('clusterrole.')) : null;
  return decideCsiState({
    csiDriverExists: found.some((kind) => kind.startsWith('csidriver.')),
    crdExists: found.some((kind) => kind.startsWith('customresourcedefinition.')),
    helmReleases: releases,
    daemonSets,
    pods,
    // The Linux nodes, as `--selector kubernetes.io/os=linux` would list them.
    nodes: daemonSetsAndNodes.filter(
      (item) => item.kind === 'Node' && item.metadata.labels?.['kubernetes.io/os'] === 'linux',
    ) as NodeJson[],
    syncClusterRoleExists: syncRole,
  });
}

/**
 * `kubectl get` of the driver's CSIDriver, its CRD and the sync ClusterRoles by name; with
 * `namespace`, that namespace too, in the same call: whether it exists, a denied read counting
 * as "exists" (a user without rights there may not read it; what they may do there is what the
 * rights checks report).
 */
export async function readNamed(
  tools: BoundTools,
  namespace?: string,
): Promise<NamedCsiObjects & { namespaceExists?: boolean }> {
  const args = [
    'get',
    ...(namespace ? [`namespace/${namespace}`] : []),
    `csidriver/${CSI_DRIVER_NAME}`,
    `customresourcedefinition/${SPC_CRD_NAME}`,
    ...SYNC_CLUSTER_ROLES.map((role) => `clusterrole/${role}`),
    '--ignore-not-found',
    '--output',
    'name',
  ];
  const run = await tools.kubectl(args, { allowFailure: true });
  // kubectl prints what it could read and names each object it couldn't on stderr.
  const lines = run.stdout.split('\n').map((line) => line.trim());
  const kinds = lines.filter((line) => !line.startsWith('namespace/')).map((line) => line.split('/')[0] ?? '');
  const errors = run.stderr.split('\n').filter((line) => line.startsWith('Error from server'));
  const rolesDenied = errors.filter((line) => /^Error from server \(Forbidden\): clusterroles\./.test(line));
  const namespaceDenied = errors.filter((line) => /^Error from server \(Forbidden\): namespaces "/.test(line));
  const answered =
    run.exitCode === 0 || (errors.length > 0 && rolesDenied.length + namespaceDenied.length === errors.length);
  if (!answered) throw commandFailed(tools.kubectlBinary, [...args, '--context', tools.context], run);
  return {
    kinds,
    syncRoleReadable: rolesDenied.length === 0,
    ...(namespace ? { namespaceExists: namespaceDenied.length > 0 || lines.includes(`namespace/${namespace}`) } : {}),
  };
}
