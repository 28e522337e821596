/**
 * The Secrets Store CSI driver with the Azure provider, with secret sync on (without it the
 * env vars never appear, pain point 1), and never installed twice (pain point 19):
 *   aks-addon  the add-on (step aks-addon) brings it; verified here once it is on
 *   helm       csi-secrets-store-provider-azure into kube-system only when no driver is there;
 *              our earlier release with sync or rotation off is upgraded in place
 *   existing   must be there with sync on, else blocked with the fix
 * The plan's stamp holds the driver state and, for a Helm install, the release revision.
 */
import { defineStep, type Change, type StepContext, type StepPlan } from '../engine/step.js';
import { blocked, fromChanges } from '../engine/plan.js';
import { UserError } from '../engine/errors.js';
import type { SetupConfig } from '../engine/setup-config.js';
import { CSI_PROVIDER_CHART, CSI_PROVIDER_REPO, csiDriverInstallRequest } from '../kube/csi-install.js';
import type { CsiDriverState, KubePort } from '../kube/port.js';
import { KUBE_CONTEXT_STEP, csiInstall, inContext, kubeOf } from './kube-shared.js';
import { OWNER_HELM_VALUES } from '../uninstall/ownership.js';

export const CSI_DRIVER_STEP = 'csi-driver';

type Ctx = Pick<StepContext, 'config' | 'kube' | 'waitTimeoutMs'>;

function wantRotation(config: SetupConfig): { enabled: boolean; pollInterval: string } {
  return { enabled: config.csi?.rotation?.enabled ?? true, pollInterval: config.csi?.rotation?.pollInterval ?? '2m' };
}

const SYNC_FIX = (release: string, namespace: string, context: string) =>
  `helm upgrade ${release} ${CSI_PROVIDER_CHART}/${CSI_PROVIDER_CHART} -n ${namespace} --kube-context ${context} --reuse-values --set secrets-store-csi-driver.syncSecret.enabled=true`;

const INSTALL_FIX = (context: string) =>
  `helm repo add ${CSI_PROVIDER_CHART} ${CSI_PROVIDER_REPO} && helm install ${CSI_PROVIDER_CHART} ${CSI_PROVIDER_CHART}/${CSI_PROVIDER_CHART} -n kube-system --kube-context ${context} --set secrets-store-csi-driver.syncSecret.enabled=true (or set csi.install: helm)`;

async function observe(kube: KubePort): Promise<{ state: CsiDriverState; observed: unknown }> {
  const state = await kube.csiDriverState();
  const release = state.helmRelease ? await kube.helmStatus(state.helmRelease.name, state.helmRelease.namespace) : null;
  return { state, observed: { by: state.installedBy, registered: state.driverRegistered, sync: state.syncSecretEnabled, rotation: state.rotationEnabled, release: state.helmRelease ?? null, revision: release?.revision ?? null } };
}

function planAddon(kube: KubePort, state: CsiDriverState, observed: unknown): StepPlan {
  const resource = inContext(kube, 'CSI driver secrets-store.csi.k8s.io');
  if (state.installedBy === 'helm') {
    const r = state.helmRelease!;
    return blocked(observed, `The CSI driver is already installed by Helm release ${r.namespace}/${r.name}; the AKS add-on would install it a second time.`, `helm uninstall ${r.name} -n ${r.namespace} --kube-context ${kube.context}, then run again; or keep it with csi.install: existing.`);
  }
  if (state.installedBy === 'other') return blocked(observed, 'A CSI driver that the AKS add-on didn\'t install is on the cluster; the add-on would install a second one.', 'Remove that driver first, or keep it with csi.install: existing.');
  const reason = state.installedBy === 'aks-addon' ? 'from the AKS add-on, secret sync on' : 'comes with the AKS add-on (step aks-addon); checked once the add-on is on';
  return fromChanges(observed, [{ mark: '=', resource, reason }]);
}

function planHelm(config: SetupConfig, kube: KubePort, state: CsiDriverState, observed: unknown): StepPlan {
  const rotation = wantRotation(config);
  const request = csiDriverInstallRequest({ rotation });
  if (state.installedBy === 'none') {
    const how = `secretsStoreCsiDriver.syncSecret on${rotation.enabled ? `, rotation every ${rotation.pollInterval}` : ''}`;
    return fromChanges(observed, [{ mark: '+', resource: inContext(kube, `Helm release ${request.namespace}/${request.release}`), to: `${CSI_PROVIDER_CHART} from ${CSI_PROVIDER_REPO}`, reason: `the Secrets Store CSI driver with the Azure provider (${how})` }]);
  }
  if (state.installedBy === 'helm') {
    const r = state.helmRelease!;
    const resource = inContext(kube, `Helm release ${r.namespace}/${r.name}`);
    const changes: Change[] = [];
    if (state.syncSecretEnabled !== true) changes.push({ mark: '~', resource, field: 'secrets-store-csi-driver.syncSecret.enabled', from: String(state.syncSecretEnabled), to: 'true', reason: 'env vars need the synced Secret; upgraded in place, never installed twice' });
    if (rotation.enabled && state.rotationEnabled !== true) changes.push({ mark: '~', resource, field: 'secrets-store-csi-driver.enableSecretRotation', from: String(state.rotationEnabled), to: 'true', reason: `as csi.rotation asks (every ${rotation.pollInterval})` });
    return fromChanges(observed, changes.length > 0 ? changes : [{ mark: '=', resource, reason: 'driver installed with secret sync on; reused' }]);
  }
  return planReuse(kube, state, observed);
}

/** A driver this tool doesn't manage (add-on, other install): reuse it when sync is on. */
function planReuse(kube: KubePort, state: CsiDriverState, observed: unknown): StepPlan {
  const resource = inContext(kube, 'CSI driver secrets-store.csi.k8s.io');
  if (state.installedBy === 'none') return blocked(observed, `There's no Secrets Store CSI driver on kube context ${kube.context}, and csi.install is existing.`, INSTALL_FIX(kube.context));
  if (state.syncSecretEnabled === false) {
    const r = state.helmRelease;
    return blocked(observed, `The CSI driver on kube context ${kube.context} has secret sync off, so Feathr's env vars would never appear.`, r ? SYNC_FIX(r.name, r.namespace, kube.context) : 'Turn on secret sync in that driver install (Helm value secrets-store-csi-driver.syncSecret.enabled=true).');
  }
  const sync = state.syncSecretEnabled === null ? 'secret sync unknown; checked after the install by the synced Secret' : 'secret sync on';
  return fromChanges(observed, [{ mark: '=', resource, reason: `installed by ${state.installedBy}, ${sync}; reused` }]);
}

export const csiDriverStep = defineStep<'config' | 'kube' | 'waitTimeoutMs'>({
  id: CSI_DRIVER_STEP,
  title: 'Secrets Store CSI driver',
  // aks-addon: the add-on must be on before it can be verified here.
  dependsOn: [KUBE_CONTEXT_STEP, 'aks-addon'],
  appliesTo: () => true,
  async plan(ctx) {
    const kube = kubeOf(ctx);
    const { state, observed } = await observe(kube);
    const mode = csiInstall(ctx.config);
    if (mode === 'aks-addon') return planAddon(kube, state, observed);
    if (mode === 'helm') return planHelm(ctx.config, kube, state, observed);
    return planReuse(kube, state, observed);
  },
  async apply(ctx) {
    const kube = kubeOf(ctx);
    const state = await kube.csiDriverState();
    const request = csiDriverInstallRequest({ rotation: wantRotation(ctx.config), timeoutSeconds: Math.max(60, Math.round(ctx.waitTimeoutMs / 1000)) });
    if (state.installedBy === 'none') {
      // The mark in its values tells uninstall this release is ours to remove (the chart ignores it).
      await kube.helmUpgradeInstall({ ...request, values: { ...request.values, ...OWNER_HELM_VALUES } });
      return;
    }
    if (state.installedBy === 'helm' && state.helmRelease) {
      // Keep whatever else the release was installed with; only our driver settings change.
      const current = (await kube.helmValues(state.helmRelease.name, state.helmRelease.namespace)) ?? {};
      const driver = { ...((current['secrets-store-csi-driver'] as Record<string, unknown> | undefined) ?? {}), ...(request.values['secrets-store-csi-driver'] as Record<string, unknown>) };
      await kube.helmUpgradeInstall({ ...request, release: state.helmRelease.name, namespace: state.helmRelease.namespace, values: { ...current, 'secrets-store-csi-driver': driver } });
    }
  },
  async verify(ctx) {
    const kube = kubeOf(ctx);
    const state = await kube.csiDriverState();
    const mode = csiInstall(ctx.config);
    if (!state.driverRegistered) throw new UserError(`The CSI driver secrets-store.csi.k8s.io isn't registered on kube context ${kube.context}.`, mode === 'aks-addon' ? 'Check the add-on: az aks show --query addonProfiles.azureKeyvaultSecretsProvider' : INSTALL_FIX(kube.context));
    if (mode === 'aks-addon' && state.installedBy !== 'aks-addon') throw new UserError(`The CSI driver on kube context ${kube.context} isn't the AKS add-on's (installed by ${state.installedBy}).`, 'Check that the kube context points at the AKS cluster in cluster.aks.');
    if (state.syncSecretEnabled === false) throw new UserError(`The CSI driver on kube context ${kube.context} has secret sync off.`, state.helmRelease ? SYNC_FIX(state.helmRelease.name, state.helmRelease.namespace, kube.context) : 'Turn on secret sync in that driver install.');
    const ready = state.nodes.filter((n) => n.driverReady && n.providerReady).length;
    if (ready === 0) throw new UserError(`The CSI driver and Azure provider pods aren't ready on any node of kube context ${kube.context}.`, 'kubectl get pods -n kube-system -l app=secrets-store-csi-driver -o wide; check taints and Linux node pools.');
    const rotation = state.rotationEnabled ? 'rotation on' : 'rotation off';
    return `CSI driver ready (${state.installedBy}): secret sync ${state.syncSecretEnabled === null ? 'not readable' : 'on'}, ${rotation}, on ${ready}/${state.nodes.length} nodes`;
  },
});
