/** Fixes for the identity the pods use: the add-on identity, workload identity, a service principal. */
import { rg, type DiagnosisContext } from './fix-context.js';

export const identityFixes = {
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
    // The install's own credential name, so the command replaces a wrong credential instead of adding one.
    const name = ctx.workloadIdentity?.credentialName ?? 'feathr-online';
    return `az identity federated-credential create --name ${name} --identity-name ${identity.name} --resource-group ${identity.resourceGroup} --issuer ${issuer || '<cluster-oidc-issuer>'} --subject ${subject || `system:serviceaccount:${ctx.namespace ?? '<namespace>'}:<service-account>`} --audiences api://AzureADTokenExchange`;
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
};
