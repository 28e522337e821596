/** Builds what a diagnosis knows from the configuration and the facts resolved so far. */
import { workloadIdentityNames } from '../config/setup-config.js';
import type { DiagnosisContext } from './fixes.js';
import type { CheckContext, CheckFacts } from './types.js';
import { vaultGroup } from '../config/setup-config.js';

/** The client id the installed SecretProviderClass uses, from the release values. */
export function releaseClientId(facts: CheckFacts): string | undefined {
  const identity = facts.release?.values.keyVault?.identity;
  return identity && 'clientId' in identity ? identity.clientId : undefined;
}

/** The identity and credential names the install's workload-identity step uses, so fixes name the same ones. */
function workloadIdentityOf(config: CheckContext['config']): NonNullable<DiagnosisContext['workloadIdentity']> {
  const names = workloadIdentityNames(config);
  return { name: names.identity, resourceGroup: names.resourceGroup, credentialName: names.credential };
}

export function diagnosisContext(ctx: CheckContext, facts: CheckFacts): DiagnosisContext {
  const { config } = ctx;
  const identity = facts.release?.values.keyVault?.identity;
  const clientId = releaseClientId(facts) ?? facts.podIdentity?.clientId;
  const principalId = facts.podIdentity?.principalId;
  const mode = config.identity?.mode;
  return {
    vaultName: facts.release?.values.keyVault?.name || config.vault.name,
    target: config.target,
    resourceGroup: facts.vault?.resourceGroup ?? vaultGroup(config),
    ...(facts.vault ? { vaultId: facts.vault.id } : {}),
    permissionModel: facts.vault
      ? facts.vault.rbac
        ? 'rbac'
        : 'access-policy'
      : (config.vault.permissionModel ?? 'rbac'),
    ...(config.cluster?.aks ? { aks: config.cluster.aks } : {}),
    ...(facts.aksVnet ? { aksVnet: facts.aksVnet } : {}),
    ...(facts.endpointVnet ? { endpointVnet: facts.endpointVnet } : {}),
    ...(facts.privateEndpoint?.ip ? { privateEndpointIp: facts.privateEndpoint.ip } : {}),
    ...(facts.vault ? { ipRules: facts.vault.ipRules } : {}),
    ...(config.csi?.install ? { csiInstall: config.csi.install } : {}),
    ...(facts.csi?.helmRelease ? { csiHelmRelease: facts.csi.helmRelease } : {}),
    ...(mode ? { identityMode: mode } : {}),
    ...(clientId ? { identityClientId: clientId } : {}),
    ...(facts.aks?.addonClientId && mode === 'aks-addon' ? { expectedClientId: facts.aks.addonClientId } : {}),
    ...(principalId ? { identityPrincipalId: principalId } : {}),
    ...(mode === 'workload-identity' ? { workloadIdentity: workloadIdentityOf(config) } : {}),
    namespace: facts.release?.namespace ?? config.feathr?.namespace ?? 'feathr',
    release: facts.release?.name ?? config.feathr?.release ?? 'feathr-online',
    ...(identity && 'nodePublishSecretRef' in identity ? { nodePublishSecretRef: identity.nodePublishSecretRef } : {}),
  };
}
