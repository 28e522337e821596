/**
 * Only with --purge (after the typed vault name): purge the soft-deleted vault for good.
 * Refused in the plan, before any change, when purge protection is on, with the date Azure
 * purges it by itself (scheduledPurgeDate; for a vault not deleted yet, today + retention).
 */
import { findDeletedVault, getVault } from '../azure/vaults.js';
import { purgeVault } from '../azure/removal-calls.js';
import { defineRemoval, removeItem } from './removal.js';
import { vaultGroup } from '../config/setup-config.js';

export const PURGE_VAULT = 'purge-vault';

function day(iso: string): string {
  return iso.slice(0, 10);
}

export function purgeVaultStep(after: readonly string[], now: () => number = Date.now) {
  return defineRemoval<'config' | 'azure' | 'signal'>({
    id: PURGE_VAULT,
    title: 'Purge the vault (--purge)',
    dependsOn: after,
    appliesTo: () => true,
    done: 'Vault purged',
    async inspect(ctx) {
      const name = ctx.config.vault.name;
      const live = await getVault(ctx, vaultGroup(ctx.config), name);
      const deleted = await findDeletedVault(ctx, name);
      const hint =
        'Nothing was changed. Without --purge the vault is kept (or only soft-deleted with --delete-vault); purge protection can never be turned off.';
      if (live?.properties.enablePurgeProtection) {
        const days = live.properties.softDeleteRetentionInDays ?? 90;
        const date = day(new Date(now() + days * 86_400_000).toISOString());
        return {
          observed: { live: true, protected: true },
          items: [],
          blocked: {
            reason: `Can't purge vault ${name}: purge protection is on. Once deleted, it becomes purgeable only when Azure purges it by itself, ${days} days later (${date} if deleted today).`,
            hint,
          },
        };
      }
      if (deleted?.purgeProtectionEnabled) {
        return {
          observed: { deleted: true, protected: true },
          items: [],
          blocked: {
            reason: `Can't purge vault ${name}: purge protection is on. It becomes purgeable on ${day(deleted.scheduledPurgeDate ?? '')}, when Azure purges it by itself.`,
            hint,
          },
        };
      }
      if (!live && !deleted) return { observed: { vault: null }, items: [] };
      const location = deleted?.location ?? live?.location ?? ctx.config.azure.location;
      return {
        observed: { live: Boolean(live), deleted: Boolean(deleted) },
        items: [
          removeItem(
            `soft-deleted vault ${name} and its secrets`,
            '--purge: permanent, the secrets can never be recovered',
            () => purgeVault(ctx, name, location),
          ),
        ],
      };
    },
  });
}
