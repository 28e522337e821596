/**
 * The CSI driver step's decisions, one per csi.install mode, from the driver state the cluster
 * reports: what to install or upgrade, what to reuse, and when to stop with the fix instead.
 */
import type { Change, StepPlan } from '../kernel/step.js';
import { blocked, fromChanges } from '../kernel/plan.js';
import type { SetupConfig } from '../config/setup-config.js';
import { CSI_CHART_REPO, CSI_CHART_VERSION } from '../config/schema.js';
import {
  CSI_PROVIDER_CHART,
  csiDriverInstallRequest,
  splitChart,
  syncFixCommand,
  type CsiChartSource,
} from '../kube/csi-install.js';
import type { CsiDriverState, KubePort } from '../kube/port.js';
import { inContext } from './kube-shared.js';

export function wantRotation(config: SetupConfig): { enabled: boolean; pollInterval: string } {
  return { enabled: config.csi?.rotation?.enabled ?? true, pollInterval: config.csi?.rotation?.pollInterval ?? '2m' };
}

/** Where a new driver install comes from: csi.chartRepo and csi.chartVersion. */
export function chartSource(config: SetupConfig): CsiChartSource {
  return { repoUrl: config.csi?.chartRepo ?? CSI_CHART_REPO, version: config.csi?.chartVersion ?? CSI_CHART_VERSION };
}

export const INSTALL_FIX = (
  context: string,
  source: CsiChartSource = { repoUrl: CSI_CHART_REPO, version: CSI_CHART_VERSION },
) =>
  `helm install ${CSI_PROVIDER_CHART} ${CSI_PROVIDER_CHART} --repo ${source.repoUrl} --version ${source.version} -n kube-system --kube-context ${context} --set secrets-store-csi-driver.syncSecret.enabled=true (or set csi.install: helm)`;

async function observeCsi(kube: KubePort): Promise<{ state: CsiDriverState; observed: unknown }> {
  const state = await kube.csiDriverState();
  const release = state.helmRelease ? await kube.helmStatus(state.helmRelease.name, state.helmRelease.namespace) : null;
  return {
    state,
    observed: {
      by: state.installedBy,
      registered: state.driverRegistered,
      sync: state.syncSecretEnabled,
      rotation: state.rotationEnabled,
      release: state.helmRelease ?? null,
      revision: release?.revision ?? null,
    },
  };
}

/** The step's plan for csi.install `mode` on what the cluster has; the preflight asks it too. */
export async function planCsi(
  config: SetupConfig,
  kube: KubePort,
  mode: 'aks-addon' | 'helm' | 'existing',
): Promise<StepPlan> {
  const { state, observed } = await observeCsi(kube);
  if (mode === 'aks-addon') return planAddon(kube, state, observed);
  if (mode === 'helm') return planHelm(config, kube, state, observed);
  return planReuse(config, kube, state, observed);
}

function planAddon(kube: KubePort, state: CsiDriverState, observed: unknown): StepPlan {
  const resource = inContext(kube, 'CSI driver secrets-store.csi.k8s.io');
  if (state.installedBy === 'helm') {
    const r = state.helmRelease!;
    return blocked(
      observed,
      `The CSI driver is already installed by Helm release ${r.namespace}/${r.name}; the AKS add-on would install it a second time.`,
      `helm uninstall ${r.name} -n ${r.namespace} --kube-context ${kube.context}, then run again; or keep it with csi.install: existing.`,
    );
  }
  if (state.installedBy === 'other')
    return blocked(
      observed,
      "A CSI driver that the AKS add-on didn't install is on the cluster; the add-on would install a second one.",
      'Remove that driver first, or keep it with csi.install: existing.',
    );
  const reason =
    state.installedBy === 'aks-addon'
      ? 'from the AKS add-on, secret sync on'
      : 'comes with the AKS add-on (step aks-addon); checked once the add-on is on';
  return fromChanges(observed, [{ mark: '=', resource, reason }]);
}

function planHelm(config: SetupConfig, kube: KubePort, state: CsiDriverState, observed: unknown): StepPlan {
  const rotation = wantRotation(config);
  const source = chartSource(config);
  const request = csiDriverInstallRequest(source, { rotation });
  if (state.installedBy === 'none') {
    const how = `secrets-store-csi-driver.syncSecret.enabled=true${rotation.enabled ? `, rotation every ${rotation.pollInterval}` : ''}`;
    return fromChanges(observed, [
      {
        mark: '+',
        resource: inContext(kube, `Helm release ${request.namespace}/${request.release}`),
        to: `${CSI_PROVIDER_CHART} ${source.version} from ${source.repoUrl}`,
        reason: `Secrets Store CSI driver + Azure provider; ${how}`,
      },
    ]);
  }
  if (state.installedBy === 'helm') {
    const r = state.helmRelease!;
    const resource = inContext(kube, `Helm release ${r.namespace}/${r.name}`);
    const chart = splitChart(r.chart);
    const needsSync = state.syncSecretEnabled !== true;
    const needsRotation = rotation.enabled && state.rotationEnabled !== true;
    if (chart.name !== CSI_PROVIDER_CHART) {
      // Its chart isn't ours to upgrade: never swap it for the provider chart.
      if (needsSync)
        return blocked(
          observed,
          `Helm release ${r.namespace}/${r.name} (chart ${r.chart}) has secret sync off, so Feathr's env vars would never appear.`,
          syncFixCommand(r, kube.context, source.repoUrl),
        );
      return fromChanges(observed, [
        {
          mark: '=',
          resource,
          reason: `${r.chart} with secret sync on; reused as it is${needsRotation ? " (rotation stays off: it is that release's setting)" : ''}`,
        },
      ]);
    }
    const changes: Change[] = [];
    const how = `upgraded in place with its own chart ${r.chart}, never installed twice`;
    if (needsSync)
      changes.push({
        mark: '~',
        resource,
        field: 'secrets-store-csi-driver.syncSecret.enabled',
        from: String(state.syncSecretEnabled),
        to: 'true',
        reason: `env vars need the synced Secret; ${how}`,
      });
    if (needsRotation)
      changes.push({
        mark: '~',
        resource,
        field: 'secrets-store-csi-driver.enableSecretRotation',
        from: String(state.rotationEnabled),
        to: 'true',
        reason: `as csi.rotation asks (every ${rotation.pollInterval}); ${how}`,
      });
    return fromChanges(
      observed,
      changes.length > 0 ? changes : [{ mark: '=', resource, reason: 'driver installed with secret sync on; reused' }],
    );
  }
  return planReuse(config, kube, state, observed);
}

/** A driver this tool doesn't manage (add-on, other install): reuse it when sync is on. */
function planReuse(config: SetupConfig, kube: KubePort, state: CsiDriverState, observed: unknown): StepPlan {
  const resource = inContext(kube, 'CSI driver secrets-store.csi.k8s.io');
  if (state.installedBy === 'none')
    return blocked(
      observed,
      `There's no Secrets Store CSI driver on kube context ${kube.context}, and csi.install is existing.`,
      INSTALL_FIX(kube.context, chartSource(config)),
    );
  if (state.syncSecretEnabled === false) {
    const r = state.helmRelease;
    return blocked(
      observed,
      `The CSI driver on kube context ${kube.context} has secret sync off, so Feathr's env vars would never appear.`,
      r
        ? syncFixCommand(r, kube.context, chartSource(config).repoUrl)
        : 'Turn on secret sync in that driver install (Helm value syncSecret.enabled=true of the driver chart).',
    );
  }
  const sync =
    state.syncSecretEnabled === null
      ? 'secret sync unknown; checked after the install by the synced Secret'
      : 'secret sync on';
  return fromChanges(observed, [{ mark: '=', resource, reason: `installed by ${state.installedBy}, ${sync}; reused` }]);
}
