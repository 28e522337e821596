/**
 * The Helm request that installs the Azure provider chart with the driver for clusters
 * outside AKS. Sync is always on: without it env vars never appear.
 */
import type { HelmInstallRequest } from './port.js';

export const CSI_PROVIDER_REPO = 'https://azure.github.io/secrets-store-csi-driver-provider-azure/charts';
export const CSI_PROVIDER_CHART = 'csi-secrets-store-provider-azure';

export interface CsiInstallOptions {
  release?: string;
  version?: string;
  rotation?: { enabled: boolean; pollInterval?: string };
  timeoutSeconds?: number;
}

export function csiDriverInstallRequest(options: CsiInstallOptions = {}): HelmInstallRequest {
  const driver: Record<string, unknown> = { syncSecret: { enabled: true } };
  if (options.rotation?.enabled) {
    driver.enableSecretRotation = true;
    driver.rotationPollInterval = options.rotation.pollInterval ?? '2m';
  }
  return {
    release: options.release ?? 'csi-secrets-store-provider-azure',
    namespace: 'kube-system',
    chart: `${CSI_PROVIDER_CHART}/${CSI_PROVIDER_CHART}`,
    repoUrl: CSI_PROVIDER_REPO,
    ...(options.version ? { version: options.version } : {}),
    values: { 'secrets-store-csi-driver': driver },
    wait: true,
    timeoutSeconds: options.timeoutSeconds ?? 300,
  };
}
