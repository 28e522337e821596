/**
 * Reads everything csi-detection needs from the cluster, in parallel, and lets it decide.
 */
import type { CsiDriverState } from './port.js';
import type { BoundTools } from './tool-context.js';
import { EVERY_STATUS, parseReleaseList } from './helm-release.js';
import {
  CSI_DRIVER_NAME,
  DRIVER_APP_LABELS,
  PROVIDER_APP_LABELS,
  SPC_CRD_NAME,
  SYNC_CLUSTER_ROLES,
  decideCsiState,
  type DaemonSetJson,
  type NodeJson,
  type PodJson,
} from './csi-detection.js';

const appSelector = `app in (${[...DRIVER_APP_LABELS, ...PROVIDER_APP_LABELS].join(',')})`;

export async function gatherCsiState(tools: BoundTools): Promise<CsiDriverState> {
  const exists = async (kind: string, name: string): Promise<boolean> =>
    (await tools.kubectl(['get', kind, name, '--ignore-not-found', '--output', 'name'])).stdout.trim() !== '';
  const items = async <T>(args: string[]): Promise<T[]> =>
    (JSON.parse((await tools.kubectl([...args, '--output', 'json'])).stdout || '{}') as { items?: T[] }).items ?? [];

  const [csiDriverExists, crdExists, releases, daemonSets, pods, nodes, syncRole] = await Promise.all([
    exists('csidriver', CSI_DRIVER_NAME),
    exists('customresourcedefinition', SPC_CRD_NAME),
    // Pending too: a release still installing already brings the driver.
    tools
      .helm(['list', '--all-namespaces', ...EVERY_STATUS, '--output', 'json'])
      .then((run) => parseReleaseList(run.stdout)),
    // Every DaemonSet: they are told apart by their selector's `app` label, which the add-on's
    // DaemonSets carry though their own labels may not.
    items<DaemonSetJson>(['get', 'daemonset', '--all-namespaces']),
    items<PodJson>(['get', 'pod', '--all-namespaces', '--selector', appSelector]),
    items<NodeJson>(['get', 'node', '--selector', 'kubernetes.io/os=linux']),
    // Reading a ClusterRole may be forbidden for a namespace admin: then sync is "unknown".
    tools
      .kubectl(['get', 'clusterrole', ...SYNC_CLUSTER_ROLES, '--ignore-not-found', '--output', 'name'], {
        allowFailure: true,
      })
      .then((run) => (run.exitCode === 0 ? run.stdout.trim() !== '' : null)),
  ]);
  return decideCsiState({
    csiDriverExists,
    crdExists,
    helmReleases: releases,
    daemonSets,
    pods,
    nodes,
    syncClusterRoleExists: syncRole,
  });
}
