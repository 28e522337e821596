/**
 * The kube context every cluster change goes to, as a line of the plan: the operator approves
 * the plan, so the approval covers the context. The port is bound to
 * `--kube-context` or else cluster.kubeContext; a port bound elsewhere, or a cluster that
 * doesn't answer, blocks the run before anything changes.
 */
import { defineStep } from './step-context.js';
import { blocked, noOp } from '../kernel/plan.js';
import { UserError } from '../kernel/errors.js';
import { KUBE_CONTEXT_STEP, kubeOf } from './kube-shared.js';

export const kubeContextStep = defineStep<'config' | 'kube'>({
  id: KUBE_CONTEXT_STEP,
  title: 'Kubernetes context',
  dependsOn: [],
  appliesTo: () => true,
  async plan(ctx) {
    const kube = kubeOf(ctx);
    const wanted = ctx.config.cluster?.kubeContext;
    if (wanted && wanted !== kube.context) {
      return blocked(
        { context: kube.context, wanted },
        `The cluster connection uses kube context ${kube.context}, but the preset names ${wanted}.`,
        `Pass --kube-context ${wanted}, or set cluster.kubeContext to ${kube.context}.`,
      );
    }
    const reach = await kube.reachability();
    if (!reach.reachable) {
      return blocked(
        { context: kube.context, reachable: false },
        `Can't reach the cluster of kube context ${kube.context}: ${reach.error ?? 'no answer'}`,
        `Check that \`kubectl --context ${kube.context} get namespaces\` works (VPN, credentials, \`az aks get-credentials\`), then run again.`,
      );
    }
    return noOp({ context: kube.context, reachable: true }, [
      {
        mark: '=',
        resource: `kube context ${kube.context}`,
        reason: `every cluster change in this plan goes to this context (Kubernetes ${reach.serverVersion ?? 'version unknown'})`,
      },
    ]);
  },
  async apply() {
    // Never called: the plan is always no-op; the line exists to be seen and approved.
  },
  async verify(ctx) {
    const kube = kubeOf(ctx);
    const reach = await kube.reachability();
    if (!reach.reachable)
      throw new UserError(
        `Can't reach the cluster of kube context ${kube.context}: ${reach.error ?? 'no answer'}`,
        `Check \`kubectl --context ${kube.context} get namespaces\`, then run again.`,
      );
    return `Kube context ${kube.context} reachable (Kubernetes ${reach.serverVersion ?? 'version unknown'})`;
  },
});
