/**
 * Deleting an object the way the API server and its garbage collector do together: a
 * Namespace takes everything in it, and objects that name the deleted one as owner
 * (ownerReferences) go too, unless the client asked to orphan them.
 */
import type { ApiCluster } from './cluster.js';
import { resourceTypes } from './registry.js';
import type { KubeObject, ResourceType } from './types.js';

export function cascadeDelete(cluster: ApiCluster, type: ResourceType, object: KubeObject, cascade: boolean): void {
  const { store } = cluster;
  store.remove(type, object.metadata.namespace, object.metadata.name);
  const types = resourceTypes(store);
  if (type.plural === 'namespaces' && !type.group) {
    for (const inner of types.filter((t) => t.namespaced && !t.virtual)) {
      for (const child of store.list(inner, object.metadata.name))
        store.remove(inner, child.metadata.namespace, child.metadata.name);
    }
    for (const key of [...cluster.logs.keys()])
      if (key.startsWith(`${object.metadata.name}/`)) cluster.logs.delete(key);
    return;
  }
  if (type.kind === 'Pod')
    for (const key of [...cluster.logs.keys()])
      if (key.startsWith(`${object.metadata.namespace}/${object.metadata.name}/`)) cluster.logs.delete(key);
  if (!cascade) return;
  // The garbage collector removes a dependent only once none of its owners is left; one that
  // still has a live owner just loses the reference.
  const live = new Set(types.filter((t) => !t.virtual).flatMap((t) => store.list(t).map((o) => o.metadata.uid)));
  for (const inner of types.filter((t) => !t.virtual)) {
    for (const child of store.list(inner, inner.namespaced ? object.metadata.namespace : undefined)) {
      const owners = child.metadata.ownerReferences ?? [];
      if (!owners.some((owner) => owner.uid === object.metadata.uid)) continue;
      const remaining = owners.filter((owner) => owner.uid !== object.metadata.uid && live.has(owner.uid));
      if (remaining.length > 0)
        store.put(inner, { ...child, metadata: { ...child.metadata, ownerReferences: remaining } }, Date.now());
      else cascadeDelete(cluster, inner, child, true);
    }
  }
}
