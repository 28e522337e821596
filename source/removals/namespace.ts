/**
 * Feathr's namespace, only when this tool created it (managed-by label) and nothing else lives
 * there: deleting a namespace deletes everything in it, so one foreign object keeps it.
 */
import type { LabelledObject } from '../kube/port.js';
import { feathrNamespace, feathrRelease, inContext, kubeOf } from '../steps/kube-shared.js';
import { CREATED_BY_LABEL, MANAGED_BY_LABEL } from '../domain/ownership.js';
import { hasLabel, MANAGED_BY_SELECTOR } from '../domain/ownership.js';
import { defineRemoval, keepItem, removeItem } from './removal.js';
import { REMOVE_CSI } from './csi-driver.js';
import { REMOVE_SYNCED } from './synced-objects.js';
import { REMOVE_MONITOR_JOBS } from './monitor-jobs.js';
import { REMOVE_SP_SECRET } from './sp-credentials.js';

export const REMOVE_NAMESPACE = 'remove-namespace';

/** Kinds looked at before deleting, minus what Kubernetes puts in every namespace. */
const KINDS = ['secret', 'secretproviderclass', 'serviceaccount', 'configmap', 'deployment'];
const BUILT_IN = new Set(['ServiceAccount/default', 'ConfigMap/kube-root-ca.crt']);

function ours(o: LabelledObject, release: string): boolean {
  const helmOfOurs =
    o.labels['app.kubernetes.io/instance'] === release && o.labels['app.kubernetes.io/managed-by'] === 'Helm';
  // Helm keeps each revision of the release as a Secret in its namespace (owner=helm, name=<release>).
  const helmRecord = o.kind === 'Secret' && o.labels.owner === 'helm' && o.labels.name === release;
  return hasLabel(o.labels, CREATED_BY_LABEL) || hasLabel(o.labels, MANAGED_BY_LABEL) || helmOfOurs || helmRecord;
}

export const removeNamespaceStep = defineRemoval<'config' | 'kube'>({
  id: REMOVE_NAMESPACE,
  title: 'Feathr namespace',
  dependsOn: [REMOVE_SYNCED, REMOVE_MONITOR_JOBS, REMOVE_SP_SECRET, REMOVE_CSI],
  appliesTo: () => true,
  done: 'Feathr namespace removed',
  async inspect(ctx) {
    const kube = kubeOf(ctx);
    const namespace = feathrNamespace(ctx.config);
    const mine = (await kube.listLabelled('namespace', MANAGED_BY_SELECTOR)).some((n) => n.name === namespace);
    const resource = inContext(kube, `namespace ${namespace}`);
    if (!mine) {
      const exists = await kube.namespaceExists(namespace);
      return {
        observed: { namespace: exists ? 'not-ours' : null },
        items: exists
          ? [
              keepItem(
                resource,
                'not labelled app.kubernetes.io/managed-by=feathr-kv-setup: it was there before this tool',
              ),
            ]
          : [],
      };
    }
    const release = feathrRelease(ctx.config);
    const listed = await kube.listLabelled(KINDS.join(','), '', namespace);
    const foreign = listed
      .filter((o) => !BUILT_IN.has(`${o.kind}/${o.name}`) && !ours(o, release))
      .map((o) => `${o.kind}/${o.name}`)
      .sort();
    const observed = { namespace, foreign };
    if (foreign.length > 0)
      return {
        observed,
        items: [
          keepItem(
            resource,
            `created by this tool, but it now also holds ${foreign.join(', ')}; delete those first, or the namespace yourself`,
          ),
        ],
      };
    return {
      observed,
      items: [
        removeItem(resource, 'created by this tool and holds nothing else', () => kube.deleteNamespace(namespace)),
      ],
    };
  },
});
