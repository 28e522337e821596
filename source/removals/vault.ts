/**
 * Only with --delete-vault (after the typed vault name): the vault itself, soft-deleted, so it
 * and its secrets stay recoverable for its retention period. Purge is its own step (--purge).
 */
import { getVault } from '../azure/vaults.js';
import { deleteVault } from '../azure/removal-calls.js';
import { defineRemoval, removeItem } from './removal.js';

export const DELETE_VAULT = 'delete-vault';

export function deleteVaultStep(after: readonly string[]) {
  return defineRemoval<'config' | 'azure' | 'signal'>({
    id: DELETE_VAULT,
    title: 'Key Vault (--delete-vault)',
    dependsOn: after,
    appliesTo: () => true,
    done: 'Vault deleted (soft delete: recoverable)',
    async inspect(ctx) {
      const { resourceGroup } = ctx.config.azure;
      const name = ctx.config.vault.name;
      const vault = await getVault(ctx, resourceGroup, name);
      if (!vault) return { observed: { vault: null }, items: [] };
      const days = vault.properties.softDeleteRetentionInDays ?? 90;
      return {
        observed: { vault: vault.id?.toLowerCase() },
        items: [
          removeItem(
            `vault ${name} and its secrets`,
            `--delete-vault: soft delete, recoverable for ${days} days (az keyvault recover --name ${name})`,
            () => deleteVault(ctx, resourceGroup, name),
          ),
        ],
      };
    },
  });
}
