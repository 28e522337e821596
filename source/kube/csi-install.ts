/**
 * The Helm requests for the CSI driver on clusters outside AKS. A new install is
 * the Azure provider chart (the driver comes as its subchart) from `csi.chartRepo`, pinned to
 * `csi.chartVersion`, with sync on: without it env vars never appear.
 * An existing release keeps its own chart and version: the provider chart is upgraded in place
 * with its values under `secrets-store-csi-driver.`; the plain driver chart (common on EKS) has
 * them at its top level and a repository this tool can't know, so it is left alone and the
 * plan gives the exact command instead.
 */
import type { HelmInstallRequest } from './port.js';

export const CSI_PROVIDER_CHART = 'csi-secrets-store-provider-azure';
const CSI_DRIVER_CHART = 'secrets-store-csi-driver';
/** Where kubernetes-sigs publishes the plain driver chart. */
const CSI_DRIVER_REPO = 'https://kubernetes-sigs.github.io/secrets-store-csi-driver/charts';

export interface CsiChartSource {
  repoUrl: string;
  version: string;
}

export interface CsiInstallOptions {
  release?: string;
  rotation?: { enabled: boolean; pollInterval?: string };
  timeoutSeconds?: number;
}

/** The driver settings this tool wants, in the driver chart's own value names. */
function driverSettings(rotation?: CsiInstallOptions['rotation']): Record<string, unknown> {
  return {
    syncSecret: { enabled: true },
    ...(rotation?.enabled ? { enableSecretRotation: true, rotationPollInterval: rotation.pollInterval ?? '2m' } : {}),
  };
}

export function csiDriverInstallRequest(source: CsiChartSource, options: CsiInstallOptions = {}): HelmInstallRequest {
  return {
    release: options.release ?? CSI_PROVIDER_CHART,
    namespace: 'kube-system',
    chart: CSI_PROVIDER_CHART,
    repoUrl: source.repoUrl,
    version: source.version,
    values: { 'secrets-store-csi-driver': driverSettings(options.rotation) },
    wait: true,
    timeoutSeconds: options.timeoutSeconds ?? 300,
  };
}

/** `csi-secrets-store-provider-azure-1.8.2` → its chart name and version. */
export function splitChart(chart: string): { name: string; version: string } {
  const match = /^(.*?)-(v?\d[\w.+-]*)$/.exec(chart);
  return match ? { name: match[1]!, version: match[2]! } : { name: chart, version: '' };
}

export interface ExistingCsiRelease {
  name: string;
  namespace: string;
  /** As `helm list` prints it: `<chart>-<version>`. */
  chart: string;
}

/**
 * Upgrading an existing provider-chart release in place: same chart, same version, its other
 * values kept, only the driver settings changed. Undefined for any other chart.
 */
export function csiUpgradeRequest(
  release: ExistingCsiRelease,
  current: Record<string, unknown>,
  repoUrl: string,
  options: CsiInstallOptions = {},
): HelmInstallRequest | undefined {
  const { name, version } = splitChart(release.chart);
  if (name !== CSI_PROVIDER_CHART) return undefined;
  const driver = {
    ...((current['secrets-store-csi-driver'] as Record<string, unknown> | undefined) ?? {}),
    ...driverSettings(options.rotation),
  };
  return {
    release: release.name,
    namespace: release.namespace,
    chart: CSI_PROVIDER_CHART,
    repoUrl,
    version,
    values: { ...current, 'secrets-store-csi-driver': driver },
    wait: true,
    timeoutSeconds: options.timeoutSeconds ?? 300,
  };
}

/** The exact command that turns sync on in an existing release, with its own chart and version. */
export function syncFixCommand(release: ExistingCsiRelease, context: string, providerRepo: string): string {
  const { name, version } = splitChart(release.chart);
  const driverChart = name === CSI_DRIVER_CHART;
  const key = driverChart ? 'syncSecret.enabled' : 'secrets-store-csi-driver.syncSecret.enabled';
  const repo = driverChart ? CSI_DRIVER_REPO : providerRepo;
  const pinned = version ? ` --version ${version}` : '';
  return `helm upgrade ${release.name} ${name} --repo ${repo}${pinned} -n ${release.namespace} --kube-context ${context} --reuse-values --set ${key}=true`;
}
