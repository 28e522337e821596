/**
 * What outlives `helm uninstall` (Secrets Store CSI driver issue #292): Secrets the CSI driver synced from
 * the SecretProviderClass, and any SecretProviderClass of ours left behind. Only objects with
 * our created-by label, in Feathr's namespace; after the release, so no pod re-syncs them.
 */
import { feathrNamespace, inContext, kubeOf } from '../steps/kube-shared.js';
import { CREATED_BY_SELECTOR } from '../domain/ownership.js';
import { defineRemoval, removeItem, type Removal } from './removal.js';
import { REMOVE_RELEASE } from './feathr-release.js';

export const REMOVE_SYNCED = 'remove-synced-objects';

export const removeSyncedObjectsStep = defineRemoval<'config' | 'kube'>({
  id: REMOVE_SYNCED,
  title: 'SecretProviderClass and synced Secrets',
  dependsOn: [REMOVE_RELEASE],
  appliesTo: () => true,
  done: 'SecretProviderClass and synced Secrets removed',
  async inspect(ctx) {
    const kube = kubeOf(ctx);
    const namespace = feathrNamespace(ctx.config);
    if (!(await kube.namespaceExists(namespace))) return { observed: { namespace: null }, items: [] };
    const listed = await kube.listLabelled('secretproviderclass,secret', CREATED_BY_SELECTOR, namespace);
    const classes = listed.filter((o) => o.kind === 'SecretProviderClass');
    const secrets = listed.filter((o) => o.kind === 'Secret');
    const items: Removal[] = [
      ...classes.map((o) =>
        removeItem(
          inContext(kube, `SecretProviderClass ${namespace}/${o.name}`),
          'rendered by the Feathr release',
          async () => void (await kube.deleteObject('secretproviderclass', namespace, o.name)),
        ),
      ),
      ...secrets.map((o) =>
        removeItem(
          inContext(kube, `Secret ${namespace}/${o.name}`),
          'synced by the CSI driver from the vault; helm uninstall leaves it behind',
          async () => void (await kube.deleteObject('secret', namespace, o.name)),
        ),
      ),
    ];
    return {
      observed: { classes: classes.map((o) => o.name).sort(), secrets: secrets.map((o) => o.name).sort() },
      items,
    };
  },
});
