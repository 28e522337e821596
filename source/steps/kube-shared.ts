/**
 * Names and lookups the cluster-side steps share, derived from the preset alone so each step
 * plans on its own. Every cluster change names its kube context, so the plan the operator
 * approves says where each change lands.
 */
import type { KubePort } from '../kube/port.js';
import type { CsiInstall, SetupConfig } from '../config/setup-config.js';

/** The label the CSI driver's filtered Secret watch needs on nodePublishSecretRef Secrets. */
export const CSI_USED_LABEL = { 'secrets-store.csi.k8s.io/used': 'true' } as const;

export const KUBE_CONTEXT_STEP = 'kube-context';

export function kubeOf(ctx: { kube?: KubePort }): KubePort {
  // The run builds the port before planning; a step without one is a wiring bug, not user input.
  if (!ctx.kube) throw new Error('This run has no Kubernetes port: the engine must put `kube` on the step context.');
  return ctx.kube;
}

export function feathrNamespace(config: SetupConfig): string {
  return config.feathr?.namespace ?? 'feathr';
}

export function feathrRelease(config: SetupConfig): string {
  return config.feathr?.release ?? 'feathr-online';
}

export function csiInstall(config: SetupConfig): CsiInstall {
  return config.csi?.install ?? (config.target === 'azure' ? 'aks-addon' : 'helm');
}

/** "namespace feathr (context feathr-eks)". */
export function inContext(kube: KubePort, resource: string): string {
  return `${resource} (context ${kube.context})`;
}
