/**
 * The AKS add-on manager: while the managed cluster's `azureKeyvaultSecretsProvider` add-on
 * profile is enabled (read from ARM at every pass, so enabling it through ARM shows at once),
 * its objects exist in kube-system and follow its rotation settings; once it is disabled they go.
 */
import { cascadeDelete } from '../../k8s/gc.js';
import { resourceTypes } from '../../k8s/registry.js';
import type { SandboxState } from '../../world/state.js';
import { keyVaultAddon } from '../aks.js';
import { csiObjects } from '../csi-objects.js';
import { put, typeOf } from '../objects.js';
import type { ClusterState } from '../state.js';

export function reconcileAddon(state: SandboxState, cluster: ClusterState, now: number): void {
  if (cluster.kind !== 'aks') return;
  const addon = keyVaultAddon(state, cluster);
  // The pass follows from the add-on's ARM settings and the store: at the same two, it would
  // find what it left.
  const inputs = () => `${JSON.stringify(addon)}@${cluster.store.revision}`;
  if (cluster.settled.addon === inputs()) return;
  const objects = csiObjects({
    namespace: 'kube-system',
    installer: 'aks-addon',
    syncSecret: true,
    rotation: addon.rotation,
    rotationPollInterval: addon.rotationPollInterval,
  });
  for (const object of objects) {
    const types = resourceTypes(cluster.store);
    const type = types.find(
      (t) => `${t.group ? `${t.group}/` : ''}${t.version}` === object.apiVersion && t.kind === object.kind,
    );
    const existing = type ? cluster.store.get(type, object.metadata.namespace, object.metadata.name) : undefined;
    // The add-on manager touches only what it created (its label), never a chart's objects of the same name.
    const ours = existing?.metadata.labels?.['addonmanager.kubernetes.io/mode'] === 'Reconcile';
    if (addon.enabled) {
      if (!existing) put(cluster, object, now);
      else if (ours && object.kind === 'DaemonSet' && JSON.stringify(existing.spec) !== JSON.stringify(object.spec))
        put(cluster, { ...existing, spec: object.spec }, now);
    } else if (existing && type && ours) {
      // Its pods (and what they own) go with it, as the garbage collector does.
      cascadeDelete(cluster, typeOf(cluster, object), existing, true);
    }
  }
  // At the revision this pass left: its own writes are what a next pass would find.
  cluster.settled.addon = inputs();
}
