/**
 * The apiextensions controllers' part clients wait on: a new CustomResourceDefinition gets its
 * names accepted and becomes Established (helm's `--wait` and kstatus read these conditions),
 * and its resource appears in discovery (k8s/registry.ts reads stored CRDs).
 */
import { CRD_TYPE } from '../../k8s/registry.js';
import type { ClusterState } from '../state.js';

export function reconcileCrds(cluster: ClusterState, now: number): void {
  const at = new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z');
  for (const crd of cluster.store.list(CRD_TYPE)) {
    if (
      (crd.status?.conditions ?? []).some(
        (c: { type: string; status: string }) => c.type === 'Established' && c.status === 'True',
      )
    )
      continue;
    const storage = (crd.spec?.versions ?? []).find((v: { storage?: boolean }) => v.storage)?.name;
    cluster.store.put(
      CRD_TYPE,
      {
        ...crd,
        status: {
          acceptedNames: crd.spec?.names ?? {},
          conditions: [
            {
              type: 'NamesAccepted',
              status: 'True',
              reason: 'NoConflicts',
              message: 'no conflicts found',
              lastTransitionTime: at,
            },
            {
              type: 'Established',
              status: 'True',
              reason: 'InitialNamesAccepted',
              message: 'the initial names have been accepted',
              lastTransitionTime: at,
            },
          ],
          storedVersions: storage ? [storage] : [],
        },
      },
      now,
    );
  }
}
