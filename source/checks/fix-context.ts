/**
 * What a diagnosis or a fix knows about the install it is judging, shared by the fix files
 * so each names real resources where it can and <angle-bracket> placeholders where it can't.
 */

export interface VnetRef {
  name: string;
  id?: string;
  resourceGroup?: string;
}

/** What a diagnosis knows about the install it is judging. Every field but the vault is optional. */
export interface DiagnosisContext {
  vaultName: string;
  target?: 'azure' | 'other-cloud';
  /** The resource group of the vault, the private DNS zone and the endpoint. */
  resourceGroup?: string;
  vaultId?: string;
  permissionModel?: 'rbac' | 'access-policy';
  aks?: { resourceGroup: string; name: string };
  aksVnet?: VnetRef;
  endpointVnet?: VnetRef;
  privateEndpointIp?: string;
  ipRules?: readonly string[];
  csiInstall?: 'aks-addon' | 'helm' | 'existing';
  csiHelmRelease?: { name: string; namespace: string };
  identityMode?: 'aks-addon' | 'workload-identity' | 'service-principal';
  /** The client id the SecretProviderClass uses. */
  identityClientId?: string;
  /** The client id it should use (the add-on identity read from ARM). */
  expectedClientId?: string;
  identityPrincipalId?: string;
  /** The managed identity and the federated credential name the install uses (the step's naming). */
  workloadIdentity?: { name: string; resourceGroup: string; credentialName?: string };
  namespace?: string;
  release?: string;
  nodePublishSecretRef?: string;
}

export const VAULT_ZONE = 'privatelink.vaultcore.azure.net';
export const rg = (ctx: DiagnosisContext) => ctx.resourceGroup ?? '<resource-group>';
