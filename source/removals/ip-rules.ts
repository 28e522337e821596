/**
 * Firewall ipRules this tool added (listed in the vault's ledger). Only those go; the rest of
 * networkAcls (defaultAction, bypass, other rules, VNet rules) stays as it is: uninstall takes
 * back access it granted and never opens the vault.
 */
import { ipRuleSet, normalizeIpRule } from '../domain/ip-rules.js';
import { patchIpRules } from '../azure/removal-calls.js';
import { defineRemoval, removeItem } from './removal.js';
import { vaultLedger } from './ledger-vault.js';
import { CLUSTER_SIDE } from './cluster-side.js';
import { vaultGroup } from '../config/setup-config.js';

const REMOVE_IP_RULES = 'remove-ip-rules';

export const removeIpRulesStep = defineRemoval<'config' | 'azure' | 'signal'>({
  id: REMOVE_IP_RULES,
  title: 'Vault firewall rules',
  dependsOn: CLUSTER_SIDE,
  appliesTo: (config) => config.target === 'other-cloud',
  done: 'Vault firewall rules removed',
  async inspect(ctx) {
    const { vault, ledger } = await vaultLedger(ctx);
    const acls = vault?.properties.networkAcls;
    if (!vault || !acls) return { observed: { vault: vault ? 'no-acls' : null }, items: [] };
    const current = (acls.ipRules ?? []).map((r) => r.value);
    const added = new Set(ledger.ipRules);
    const ours = ipRuleSet(current).filter((ip) => added.has(ip));
    const keep = current.filter((ip) => !added.has(normalizeIpRule(ip)));
    const name = ctx.config.vault.name;
    // One PATCH removes them all; each rule is still its own line of the plan.
    let patched: Promise<unknown> | undefined;
    const once = () =>
      (patched ??= patchIpRules(ctx, vaultGroup(ctx.config), name, {
        defaultAction: acls.defaultAction ?? 'Deny',
        bypass: acls.bypass ?? 'AzureServices',
        ipRules: keep,
        virtualNetworkRules: (acls.virtualNetworkRules ?? []).map((r) => ({ id: r.id })),
      })).then(() => undefined);
    return {
      observed: { rules: ipRuleSet(current), ours },
      items: ours.map((ip) =>
        removeItem(`vault ${name} ipRules ${ip}`, 'added by this tool; defaultAction and the other rules stay', once),
      ),
    };
  },
});
