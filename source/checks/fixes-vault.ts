/** Fixes for what the vault holds and who may read it. No command carries a secret value. */
import type { DiagnosisContext } from './fix-context.js';

export const vaultFixes = {
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
};
