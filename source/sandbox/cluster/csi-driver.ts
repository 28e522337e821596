/**
 * Where the Secrets Store CSI driver stands on a simulated cluster: the AKS add-on (sync roles
 * on by default, PROV #878), a Helm release of csi-secrets-store-provider-azure (sync and
 * rotation from its values, both off by default), something preinstalled, or nothing.
 */
import type { CsiDriverState } from './wire.js';
import type { SandboxState } from '../world/state.js';
import { keyVaultAddon } from './aks.js';
import type { ClusterState, HelmReleaseState } from './state.js';

export const PROVIDER_CHART = 'csi-secrets-store-provider-azure';

export function isProviderChart(chart: string): boolean {
  return chart.toLowerCase().includes(PROVIDER_CHART);
}

function current(release: HelmReleaseState) {
  return release.history[release.history.length - 1];
}

/** The deployed provider release, if any (a failed or uninstalled one registers nothing). */
export function providerRelease(cluster: ClusterState): HelmReleaseState | undefined {
  return [...cluster.helmReleases.values()].find((release) => {
    const revision = current(release);
    return revision && isProviderChart(revision.chart) && revision.status === 'deployed';
  });
}

function driverValues(release: HelmReleaseState): { syncSecret: boolean; rotation: boolean } {
  const values = current(release).values as Record<string, any>;
  const driver = values['secrets-store-csi-driver'] ?? {};
  return { syncSecret: driver.syncSecret?.enabled === true, rotation: driver.enableSecretRotation === true };
}

export function csiDriverState(state: SandboxState, cluster: ClusterState): CsiDriverState {
  const addon = keyVaultAddon(state, cluster);
  const release = providerRelease(cluster);
  const linuxNodes = cluster.nodes.filter((node) => node.os === 'linux');
  const installed = (ready: boolean) => [
    ...linuxNodes.map((node) => ({ name: node.name, driverReady: ready, providerReady: ready })),
    // The chart's and the add-on's DaemonSets are Linux-only by default.
    ...cluster.nodes
      .filter((node) => node.os !== 'linux')
      .map((node) => ({ name: node.name, driverReady: false, providerReady: false })),
  ];
  const base = { driverRegistered: true, crdsInstalled: true, azureProviderInstalled: true };
  if (addon.enabled)
    return {
      ...base,
      installedBy: 'aks-addon',
      syncSecretEnabled: true,
      rotationEnabled: addon.rotation,
      nodes: installed(true),
    };
  if (release) {
    const values = driverValues(release);
    return {
      ...base,
      installedBy: 'helm',
      helmRelease: { name: release.name, namespace: release.namespace },
      syncSecretEnabled: values.syncSecret,
      rotationEnabled: values.rotation,
      nodes: installed(true),
    };
  }
  if (cluster.preinstalledCsi) {
    return {
      ...base,
      installedBy: 'other',
      syncSecretEnabled: cluster.preinstalledCsi.syncSecret,
      rotationEnabled: cluster.preinstalledCsi.rotation,
      nodes: installed(true),
    };
  }
  return {
    driverRegistered: false,
    crdsInstalled: false,
    azureProviderInstalled: false,
    installedBy: 'none',
    syncSecretEnabled: null,
    rotationEnabled: null,
    nodes: installed(false),
  };
}
