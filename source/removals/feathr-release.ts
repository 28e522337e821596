/** The Feathr Helm release, when its current values still carry this tool's mark. */
import { feathrNamespace, feathrRelease, inContext, kubeOf } from '../steps/kube-shared.js';
import { CHANGED_SINCE, helmValuesAreOurs } from '../domain/ownership.js';
import { defineRemoval, keepItem, removeItem } from './removal.js';

export const REMOVE_RELEASE = 'remove-feathr-release';

export const removeFeathrReleaseStep = defineRemoval<'config' | 'kube'>({
  id: REMOVE_RELEASE,
  title: 'Feathr Helm release',
  dependsOn: [],
  appliesTo: () => true,
  done: 'Feathr release removed',
  async inspect(ctx) {
    const kube = kubeOf(ctx);
    const name = feathrRelease(ctx.config);
    const namespace = feathrNamespace(ctx.config);
    const status = await kube.helmStatus(name, namespace);
    if (!status) return { observed: { release: null }, items: [] };
    const values = await kube.helmValues(name, namespace);
    const observed = {
      release: name,
      revision: status.revision,
      status: status.status,
      ours: helmValuesAreOurs(values),
    };
    const resource = inContext(kube, `Helm release ${namespace}/${name}`);
    if (!observed.ours)
      return {
        observed,
        items: [
          keepItem(
            resource,
            `${CHANGED_SINCE} or not made by this tool: its values lack commonLabels app.kubernetes.io/created-by=feathr-kv-setup (revision ${status.revision}); remove it yourself with helm uninstall ${name} -n ${namespace}`,
          ),
        ],
      };
    // A release stuck in pending-* uninstalls too: helm uninstall is the documented way out.
    return {
      observed,
      items: [
        removeItem(
          resource,
          `installed by this tool (revision ${status.revision}, ${status.status})`,
          async () => void (await kube.helmUninstall(name, namespace)),
        ),
      ],
    };
  },
});
