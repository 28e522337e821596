/**
 * The namespace Feathr is installed into. Created with the tool's managed-by label so
 * uninstall can tell it from a namespace that was already there (and leave that one alone).
 */
import { defineStep } from './step-context.js';
import { fromChanges } from '../kernel/plan.js';
import { UserError } from '../kernel/errors.js';
import { KUBE_CONTEXT_STEP, feathrNamespace, inContext, kubeOf } from './kube-shared.js';
import { MANAGED_BY_LABEL } from '../domain/ownership.js';

export const FEATHR_NAMESPACE_STEP = 'feathr-namespace';

export const feathrNamespaceStep = defineStep<'config' | 'kube'>({
  id: FEATHR_NAMESPACE_STEP,
  title: 'Feathr namespace',
  dependsOn: [KUBE_CONTEXT_STEP],
  appliesTo: () => true,
  async plan(ctx) {
    const kube = kubeOf(ctx);
    const namespace = feathrNamespace(ctx.config);
    const exists = await kube.namespaceExists(namespace);
    const resource = inContext(kube, `namespace ${namespace}`);
    return fromChanges({ namespace, exists }, [
      exists
        ? { mark: '=', resource, reason: 'exists' }
        : { mark: '+', resource, reason: 'Feathr and its synced Secret live here' },
    ]);
  },
  async apply(ctx) {
    await kubeOf(ctx).ensureNamespace(feathrNamespace(ctx.config), { ...MANAGED_BY_LABEL });
  },
  async verify(ctx) {
    const namespace = feathrNamespace(ctx.config);
    if (!(await kubeOf(ctx).namespaceExists(namespace)))
      throw new UserError(`Namespace ${namespace} doesn't exist after creating it.`, 'Run the same command again.');
    return `Namespace ${namespace} ready`;
  },
});
