/** Fixes for the CSI driver, secret sync and the Feathr chart. */
import type { DiagnosisContext } from './fix-context.js';

export const clusterFixes = {
  installDriver(ctx: DiagnosisContext): string {
    if (ctx.aks) {
      return `az aks enable-addons --addons azure-keyvault-secrets-provider --resource-group ${ctx.aks.resourceGroup} --name ${ctx.aks.name}`;
    }
    return 'helm repo add csi-secrets-store-provider-azure https://azure.github.io/secrets-store-csi-driver-provider-azure/charts && helm upgrade --install csi csi-secrets-store-provider-azure/csi-secrets-store-provider-azure --namespace kube-system --set secrets-store-csi-driver.syncSecret.enabled=true (add tolerations if the Feathr nodes are tainted)';
  },
  enableSync(ctx: DiagnosisContext): string {
    if (ctx.csiInstall === 'aks-addon' && ctx.aks) {
      // The add-on ships the sync role; re-enabling it restores a deleted role or binding.
      return `Restore ClusterRole secretprovidersyncing-role by re-enabling the add-on: az aks disable-addons --addons azure-keyvault-secrets-provider --resource-group ${ctx.aks.resourceGroup} --name ${ctx.aks.name} && az aks enable-addons --addons azure-keyvault-secrets-provider --resource-group ${ctx.aks.resourceGroup} --name ${ctx.aks.name}`;
    }
    const release = ctx.csiHelmRelease ?? { name: 'csi', namespace: 'kube-system' };
    return `helm upgrade ${release.name} csi-secrets-store-provider-azure/csi-secrets-store-provider-azure --namespace ${release.namespace} --reuse-values --set secrets-store-csi-driver.syncSecret.enabled=true`;
  },
  restartPods(ctx: DiagnosisContext): string {
    const release = ctx.release ?? 'feathr-online';
    const deployment = release.includes('feathr-online') ? release : `${release}-feathr-online`;
    return `kubectl rollout restart deployment/${deployment} --namespace ${ctx.namespace ?? '<namespace>'}, and check that the CSI driver's secret rotation is on (enableSecretRotation, rotationPollInterval).`;
  },
  reinstallChart(ctx: DiagnosisContext): string {
    return `helm upgrade --install ${ctx.release ?? 'feathr-online'} charts/feathr-online --namespace ${ctx.namespace ?? '<namespace>'} --reuse-values --set keyVault.name=${ctx.vaultName} --set keyVault.tenantId=<tenant-id>`;
  },
};
