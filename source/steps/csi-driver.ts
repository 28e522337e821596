/**
 * The Secrets Store CSI driver with the Azure provider, with secret sync on (without it the
 * env vars never appear), and never installed twice:
 *   aks-addon  the add-on (step aks-addon) brings it; verified here once it is on
 *   helm       csi-secrets-store-provider-azure into kube-system only when no driver is there;
 *              our earlier release with sync or rotation off is upgraded in place
 *   existing   must be there with sync on, else blocked with the fix
 * The plan's stamp holds the driver state and, for a Helm install, the release revision.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { defineStep } from './step-context.js';
import { UserError } from '../kernel/errors.js';
import { csiDriverInstallRequest, csiUpgradeRequest, syncFixCommand } from '../kube/csi-install.js';
import type { CsiDriverState, KubePort } from '../kube/port.js';
import type { SetupConfig } from '../config/setup-config.js';
import { KUBE_CONTEXT_STEP, csiInstall, kubeOf } from './kube-shared.js';
import { INSTALL_FIX, chartSource, planCsi, wantRotation } from './csi-driver-plan.js';
import { OWNER_HELM_VALUES } from '../domain/ownership.js';

export const CSI_DRIVER_STEP = 'csi-driver';

/** Not registered, or no node with both pods ready: worth waiting for. */
function notReadyYet(config: SetupConfig, kube: KubePort, state: CsiDriverState): UserError | undefined {
  if (!state.driverRegistered)
    return new UserError(
      `The CSI driver secrets-store.csi.k8s.io isn't registered on kube context ${kube.context}.`,
      csiInstall(config) === 'aks-addon'
        ? 'Check the add-on: az aks show --query addonProfiles.azureKeyvaultSecretsProvider'
        : INSTALL_FIX(kube.context, chartSource(config)),
    );
  if (!state.nodes.some((n) => n.driverReady && n.providerReady))
    return new UserError(
      `The CSI driver and Azure provider pods aren't ready on any node of kube context ${kube.context}.`,
      'kubectl get pods -n kube-system -l app=secrets-store-csi-driver -o wide; check taints and Linux node pools.',
    );
  return undefined;
}

function readySummary(config: SetupConfig, kube: KubePort, state: CsiDriverState): string {
  if (csiInstall(config) === 'aks-addon' && state.installedBy !== 'aks-addon')
    throw new UserError(
      `The CSI driver on kube context ${kube.context} isn't the AKS add-on's (installed by ${state.installedBy}).`,
      'Check that the kube context points at the AKS cluster in cluster.aks.',
    );
  if (state.syncSecretEnabled === false)
    throw new UserError(
      `The CSI driver on kube context ${kube.context} has secret sync off.`,
      state.helmRelease
        ? syncFixCommand(state.helmRelease, kube.context, chartSource(config).repoUrl)
        : 'Turn on secret sync in that driver install.',
    );
  const ready = state.nodes.filter((n) => n.driverReady && n.providerReady).length;
  const sync = state.syncSecretEnabled === null ? 'not readable' : 'on';
  return `CSI driver ready (${state.installedBy}): secret sync ${sync}, rotation ${state.rotationEnabled ? 'on' : 'off'}, on ${ready}/${state.nodes.length} nodes`;
}

export const csiDriverStep = defineStep<'config' | 'kube' | 'waitTimeoutMs' | 'pollIntervalMs' | 'signal' | 'progress'>(
  {
    id: CSI_DRIVER_STEP,
    title: 'Secrets Store CSI driver',
    // aks-addon: the add-on must be on before it can be verified here.
    dependsOn: [KUBE_CONTEXT_STEP, 'aks-addon'],
    appliesTo: () => true,
    async plan(ctx) {
      return planCsi(ctx.config, kubeOf(ctx), csiInstall(ctx.config));
    },
    async apply(ctx) {
      const kube = kubeOf(ctx);
      // The plan's reading, unless it is older than a few seconds (an approval that took a while).
      const state = await kube.csiDriverState();
      const options = {
        rotation: wantRotation(ctx.config),
        timeoutSeconds: Math.max(1, Math.round(ctx.waitTimeoutMs / 1000)),
      };
      if (state.installedBy === 'none') {
        const request = csiDriverInstallRequest(chartSource(ctx.config), options);
        // The mark in its values tells uninstall this release is ours to remove (the chart ignores it).
        await kube.helmUpgradeInstall({ ...request, values: { ...request.values, ...OWNER_HELM_VALUES } });
        return;
      }
      if (state.installedBy === 'helm' && state.helmRelease) {
        // Keep whatever else the release was installed with, its chart and its version; only
        // the driver settings change. Another chart's release is never upgraded (the plan says how).
        const current = (await kube.helmValues(state.helmRelease.name, state.helmRelease.namespace)) ?? {};
        const request = csiUpgradeRequest(state.helmRelease, current, chartSource(ctx.config).repoUrl, options);
        if (request) await kube.helmUpgradeInstall(request);
      }
    },
    async verify(ctx) {
      const kube = kubeOf(ctx);
      const deadline = Date.now() + ctx.waitTimeoutMs;
      // A freshly enabled add-on (or chart) registers the driver and starts its DaemonSets a
      // little later: wait for that, bounded; anything else wrong is final at once.
      for (let attempt = 0; ; attempt++) {
        // After the first look, each look reads the cluster again: it waits for someone else's change.
        const state = await kube.csiDriverState({ fresh: attempt > 0 });
        const waiting = notReadyYet(ctx.config, kube, state);
        if (!waiting) return readySummary(ctx.config, kube, state);
        if (Date.now() >= deadline) throw waiting;
        ctx.progress(`Waiting for the CSI driver on ${kube.context}: ${waiting.message}`);
        await delay(ctx.pollIntervalMs, undefined, { signal: ctx.signal });
      }
    },
  },
);
