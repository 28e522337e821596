/**
 * The secret data actions the data plane asks for. Which roles grant them is decided by the
 * built-in role definitions of sandbox/arm (Owner and Contributor grant no data action, so an
 * Owner can't read a secret of an RBAC vault, a common surprise).
 */

export type SecretDataAction =
  'getSecret' | 'readMetadata' | 'setSecret' | 'update' | 'delete' | 'recover' | 'purge' | 'backup' | 'restore';

/** The full data action name, as Key Vault prints it in a ForbiddenByRbac message. */
export function dataActionName(action: SecretDataAction): string {
  return action === 'delete'
    ? 'Microsoft.KeyVault/vaults/secrets/delete'
    : `Microsoft.KeyVault/vaults/secrets/${action}/action`;
}

/** Access-policy permission needed per action (Key Vault REST reference, "requires the secrets/x permission"). */
export const ACCESS_POLICY_PERMISSION: Record<SecretDataAction, string> = {
  getSecret: 'get',
  readMetadata: 'list',
  setSecret: 'set',
  update: 'set',
  delete: 'delete',
  recover: 'recover',
  purge: 'purge',
  backup: 'backup',
  restore: 'restore',
};
