/** The CSI driver's Helm release (other clouds), only when this tool installed it (its values carry our mark). */
import { inContext, kubeOf } from '../steps/kube-shared.js';
import { helmValuesAreOurs } from '../domain/ownership.js';
import { defineRemoval, keepItem, removeItem } from './removal.js';
import { REMOVE_SYNCED } from './synced-objects.js';
import { REMOVE_SP_SECRET } from './sp-credentials.js';

export const REMOVE_CSI = 'remove-csi-driver';

export const removeCsiDriverStep = defineRemoval<'config' | 'kube'>({
  id: REMOVE_CSI,
  title: 'Secrets Store CSI driver (Helm)',
  // After Feathr's objects: the driver must outlive the pods and Secrets that use it.
  dependsOn: [REMOVE_SYNCED, REMOVE_SP_SECRET],
  appliesTo: () => true,
  done: 'CSI driver release removed',
  async inspect(ctx) {
    const kube = kubeOf(ctx);
    const state = await kube.csiDriverState();
    const release = state.installedBy === 'helm' ? state.helmRelease : undefined;
    if (!release) return { observed: { by: state.installedBy }, items: [] };
    const values = await kube.helmValues(release.name, release.namespace);
    const resource = inContext(kube, `Helm release ${release.namespace}/${release.name}`);
    const observed = { by: 'helm', release, ours: helmValuesAreOurs(values) };
    if (!observed.ours)
      return {
        observed,
        items: [
          keepItem(
            resource,
            'not installed by this tool (its values lack our created-by mark); other workloads may use it',
          ),
        ],
      };
    return {
      observed,
      items: [
        removeItem(
          resource,
          'the CSI driver and Azure provider this tool installed',
          async () => void (await kube.helmUninstall(release.name, release.namespace)),
        ),
      ],
    };
  },
});
