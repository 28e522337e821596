/**
 * The exact fixes, one function each, so diagnoses and checks give the same command for the
 * same cause. Commands name real resources when the context knows them, placeholders in
 * <angle brackets> only where it can't. No command ever carries a secret value: secrets are
 * read from a file (`--file`, `--from-file`), never from argv.
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
  workloadIdentity?: { name: string; resourceGroup: string };
  namespace?: string;
  release?: string;
  nodePublishSecretRef?: string;
}

const ZONE = 'privatelink.vaultcore.azure.net';
const rg = (ctx: DiagnosisContext) => ctx.resourceGroup ?? '<resource-group>';

export const fixes = {
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
  createSpSecret(_ctx: DiagnosisContext, namespace: string, name: string): string {
    return `kubectl create secret generic ${name} --namespace ${namespace} --from-literal clientid=<app-id> --from-file clientsecret=./client-secret.txt && kubectl label secret ${name} --namespace ${namespace} secrets-store.csi.k8s.io/used=true`;
  },
  replaceSpSecret(ctx: DiagnosisContext): string {
    const name = ctx.nodePublishSecretRef ?? 'secrets-store-creds';
    const ns = ctx.namespace ?? '<namespace>';
    return `Put the client secret's value (not its ID) in a file and replace the Secret: kubectl create secret generic ${name} --namespace ${ns} --from-literal clientid=<app-id> --from-file clientsecret=./client-secret.txt --dry-run=client -o yaml | kubectl apply -f -`;
  },
  federatedCredential(ctx: DiagnosisContext, issuer: string, subject: string): string {
    const identity = ctx.workloadIdentity ?? { name: '<identity>', resourceGroup: rg(ctx) };
    return `az identity federated-credential create --name feathr-online --identity-name ${identity.name} --resource-group ${identity.resourceGroup} --issuer ${issuer || '<cluster-oidc-issuer>'} --subject ${subject || `system:serviceaccount:${ctx.namespace ?? '<namespace>'}:<service-account>`} --audiences api://AzureADTokenExchange`;
  },
  useAddonIdentity(ctx: DiagnosisContext): string {
    const release = ctx.release ?? 'feathr-online';
    const ns = ctx.namespace ?? '<namespace>';
    if (ctx.expectedClientId) {
      return `Set keyVault.identity.clientId to ${ctx.expectedClientId}, the add-on identity: helm upgrade ${release} charts/feathr-online --namespace ${ns} --reuse-values --set keyVault.identity.clientId=${ctx.expectedClientId}`;
    }
    const lookup = ctx.aks
      ? `az aks show --resource-group ${ctx.aks.resourceGroup} --name ${ctx.aks.name} --query addonProfiles.azureKeyvaultSecretsProvider.identity.clientId -o tsv`
      : 'the client id of an identity attached to the nodes';
    return `Set keyVault.identity.clientId to ${lookup}, then helm upgrade ${release} charts/feathr-online --namespace ${ns} --reuse-values --set keyVault.identity.clientId=<client-id>`;
  },
  allowIp(ctx: DiagnosisContext, address?: string): string {
    return `az keyvault network-rule add --name ${ctx.vaultName} --resource-group ${rg(ctx)} --ip-address ${address ?? '<egress-ip>'}`;
  },
  linkZone(ctx: DiagnosisContext): string {
    const vnet = ctx.aksVnet;
    if (!vnet) return `Link ${ZONE} to the cluster's VNet: az network private-dns link vnet create --resource-group ${rg(ctx)} --zone-name ${ZONE} --name <aks-vnet>-link --virtual-network <aks-vnet-id> --registration-enabled false`;
    return `Link ${ZONE} to VNet ${vnet.name}: az network private-dns link vnet create --resource-group ${rg(ctx)} --zone-name ${ZONE} --name ${vnet.name}-link --virtual-network ${vnet.id ?? vnet.name} --registration-enabled false`;
  },
  aRecord(ctx: DiagnosisContext): string {
    return `az network private-dns record-set a add-record --resource-group ${rg(ctx)} --zone-name ${ZONE} --record-set-name ${ctx.vaultName} --ipv4-address ${ctx.privateEndpointIp ?? '<endpoint-ip>'}`;
  },
  peer(from: VnetRef, to: VnetRef): string {
    return `Create the peering from ${from.name} to ${to.name}: az network vnet peering create --resource-group ${from.resourceGroup ?? '<resource-group>'} --vnet-name ${from.name} --name ${from.name}-to-${to.name} --remote-vnet ${to.id ?? to.name} --allow-vnet-access`;
  },
  grantSecretsUser(ctx: DiagnosisContext): string {
    const assignee = ctx.identityPrincipalId
      ? `--assignee-object-id ${ctx.identityPrincipalId} --assignee-principal-type ServicePrincipal`
      : `--assignee ${ctx.identityClientId ?? '<client-id>'}`;
    if (ctx.permissionModel === 'access-policy') {
      return `az keyvault set-policy --name ${ctx.vaultName} --secret-permissions get ${ctx.identityPrincipalId ? `--object-id ${ctx.identityPrincipalId}` : `--spn ${ctx.identityClientId ?? '<client-id>'}`}`;
    }
    return `az role assignment create --role "Key Vault Secrets User" ${assignee} --scope ${ctx.vaultId ?? `<vault-id of ${ctx.vaultName}>`} (a new assignment takes up to 10 minutes to apply)`;
  },
  addSecret(ctx: DiagnosisContext, name: string): string {
    return `Put the value in a file and run: az keyvault secret set --vault-name ${ctx.vaultName} --name ${name} --file ./${name}.txt (or re-run feathr-kv-setup with the secret's source, or remove ${name} from the mapping)`;
  },
  fillSecret(ctx: DiagnosisContext, name: string): string {
    return `Write a non-empty value: az keyvault secret set --vault-name ${ctx.vaultName} --name ${name} --file ./${name}.txt (or fix the value in the secret's source and re-run feathr-kv-setup)`;
  },
  reinstallChart(ctx: DiagnosisContext): string {
    return `helm upgrade --install ${ctx.release ?? 'feathr-online'} charts/feathr-online --namespace ${ctx.namespace ?? '<namespace>'} --reuse-values --set keyVault.name=${ctx.vaultName} --set keyVault.tenantId=<tenant-id>`;
  },
  openPath(ctx: DiagnosisContext): string {
    if (ctx.target === 'azure' && ctx.aksVnet && ctx.endpointVnet && ctx.aksVnet.name !== ctx.endpointVnet.name) {
      return `Peer ${ctx.aksVnet.name} and ${ctx.endpointVnet.name} in both directions, and let the nodes' NSG allow outbound TCP 443 to the endpoint subnet. ${fixes.peer(ctx.aksVnet, ctx.endpointVnet)}`;
    }
    return `Allow outbound TCP 443 from the nodes to ${ctx.vaultName}.vault.azure.net and to login.microsoftonline.com.`;
  },
};
