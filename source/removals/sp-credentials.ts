/** The service-principal credentials Secret (nodePublishSecretRef), when it carries our managed-by label. */
import { feathrNamespace, inContext, kubeOf } from '../steps/kube-shared.js';
import { MANAGED_BY_LABEL } from '../domain/ownership.js';
import { SP_SECRET_NAME } from '../kube/values-builder.js';
import { hasLabel, MANAGED_BY_SELECTOR } from '../domain/ownership.js';
import { defineRemoval, keepItem, removeItem } from './removal.js';
import { REMOVE_RELEASE } from './feathr-release.js';

export const REMOVE_SP_SECRET = 'remove-sp-credentials';

export const removeSpCredentialsStep = defineRemoval<'config' | 'kube'>({
  id: REMOVE_SP_SECRET,
  title: 'Service-principal credentials Secret',
  dependsOn: [REMOVE_RELEASE],
  appliesTo: () => true,
  done: 'Service-principal credentials Secret removed',
  async inspect(ctx) {
    const kube = kubeOf(ctx);
    const namespace = feathrNamespace(ctx.config);
    if (!(await kube.namespaceExists(namespace))) return { observed: { namespace: null }, items: [] };
    const ours = (await kube.listLabelled('secret', MANAGED_BY_SELECTOR, namespace)).find(
      (o) => o.name === SP_SECRET_NAME,
    );
    const resource = inContext(kube, `Secret ${namespace}/${SP_SECRET_NAME}`);
    if (ours && hasLabel(ours.labels, MANAGED_BY_LABEL)) {
      return {
        observed: { secret: true },
        items: [
          removeItem(
            resource,
            'service-principal credentials this tool stored for the CSI driver',
            async () => void (await kube.deleteObject('secret', namespace, SP_SECRET_NAME)),
          ),
        ],
      };
    }
    const exists = (await kube.secretKeys(namespace, SP_SECRET_NAME)) !== null;
    return {
      observed: { secret: exists ? 'not-ours' : null },
      items: exists
        ? [keepItem(resource, 'not labelled app.kubernetes.io/managed-by=feathr-kv-setup: not made by this tool')]
        : [],
    };
  },
});
