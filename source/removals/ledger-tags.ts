/**
 * Last: the vault's ledger tags for what this uninstall removes (or is gone already). Entries
 * for anything kept (changed since by someone else) stay, so a later uninstall still knows the
 * tool made it. The firewall records all go: the ip-rules step removes every rule they list.
 */
import { withIpRules } from '../domain/ledger.js';
import { putVaultTags } from '../azure/removal-calls.js';
import { defineRemoval, removeItem } from './removal.js';
import { vaultLedger } from './ledger-vault.js';
import { subnetVerdict } from './subnet.js';
import { peeringVerdict } from './peerings.js';
import { vaultGroup } from '../config/setup-config.js';

export const CLEAR_LEDGER = 'clear-ledger';

export function clearLedgerStep(after: readonly string[]) {
  return defineRemoval<'config' | 'azure' | 'signal'>({
    id: CLEAR_LEDGER,
    title: 'Uninstall records on the vault',
    dependsOn: after,
    appliesTo: () => true,
    done: 'Uninstall records cleared',
    async inspect(ctx) {
      const { vault, ledger } = await vaultLedger(ctx);
      if (!vault) return { observed: { vault: null }, items: [] };
      const clear: string[] = [];
      for (const s of ledger.subnets) if ((await subnetVerdict(ctx, s)).kind !== 'keep') clear.push(s.key);
      for (const p of ledger.peerings) if ((await peeringVerdict(ctx, p)).kind !== 'keep') clear.push(p.key);
      clear.push(...ledger.ipRuleKeys);
      if (clear.length === 0) return { observed: { keys: [] }, items: [] };
      const next = withIpRules(
        Object.fromEntries(Object.entries(vault.tags ?? {}).filter(([k]) => !clear.includes(k))),
        [],
      );
      return {
        observed: { keys: clear.sort() },
        items: [
          removeItem(
            `tags ${clear.join(', ')} on vault ${ctx.config.vault.name}`,
            'records of what this tool made',
            async () => void (await putVaultTags(ctx, vaultGroup(ctx.config), ctx.config.vault.name, next)),
          ),
        ],
      };
    },
  });
}
