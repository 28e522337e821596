/**
 * The vault itself: that it exists and how it is reached, public access off
 * on AKS, and on other clouds a firewall that denies by default and admits the egress IPs.
 */
import { getVault } from '../azure/vaults.js';
import { diagnosisContext } from './diagnosis-context.js';
import { fixes } from './fixes.js';
import { matchingRule, displayIpRule } from '../domain/ip-rules.js';
import { azureOnly, inner } from './network-common.js';
import { fail, pass, skip, type Check, type CheckFacts } from './types.js';
import { vaultGroup } from '../config/setup-config.js';

export const vaultCheck: Check = {
  id: 'network.vault',
  category: 'network',
  phase: 'installed',
  description: 'the vault exists',
  severity: 'fatal',
  hint: 'Run the install: feathr-kv-setup --preset <file> --yes, or fix vault.name and azure.resourceGroup.',
  async run(ctx) {
    if (!ctx.azure) return skip('no Azure connection in this run');
    const rg = vaultGroup(ctx.config);
    const vault = await getVault(inner(ctx), rg, ctx.config.vault.name);
    if (!vault?.id) return fail(`Vault ${ctx.config.vault.name} doesn't exist in resource group ${rg}.`);
    const p = vault.properties;
    const facts: CheckFacts['vault'] = {
      id: vault.id,
      resourceGroup: rg,
      rbac: p?.enableRbacAuthorization === true,
      ...(p?.publicNetworkAccess ? { publicNetworkAccess: p.publicNetworkAccess } : {}),
      ...(p?.networkAcls?.defaultAction ? { defaultAction: p.networkAcls.defaultAction } : {}),
      ipRules: (p?.networkAcls?.ipRules ?? []).map((r) => displayIpRule(r.value)),
    };
    return pass(`${ctx.config.vault.name} (${facts.rbac ? 'RBAC' : 'access policies'})`, { vault: facts });
  },
};

export const publicAccessCheck: Check = {
  id: 'network.public-access',
  category: 'network',
  phase: 'installed',
  description: 'public network access to the vault is disabled',
  severity: 'warning',
  hint: (ctx) =>
    `az keyvault update --name ${ctx.config.vault.name} --resource-group ${vaultGroup(ctx.config)} --public-network-access Disabled`,
  async run(ctx, facts) {
    const why = azureOnly(ctx) ?? (!facts.vault ? "the vault can't be read" : undefined);
    if (why) return skip(why);
    if (facts.vault!.publicNetworkAccess === 'Disabled') return pass();
    return fail(
      `Vault ${ctx.config.vault.name} still accepts traffic from the internet (publicNetworkAccess ${facts.vault!.publicNetworkAccess ?? 'Enabled'}).`,
    );
  },
};

export const firewallCheck: Check = {
  id: 'network.firewall',
  category: 'network',
  phase: 'installed',
  description: "the vault's firewall admits the configured egress addresses only",
  severity: 'fatal',
  hint: (ctx) => fixes.allowIp(diagnosisContext(ctx, {}), (ctx.config.network?.allowedIps ?? [])[0]),
  async run(ctx, facts) {
    if (ctx.config.target !== 'other-cloud') return skip('the target uses a private endpoint');
    if (!facts.vault) return skip("the vault can't be read");
    const rules = facts.vault.ipRules;
    const missing = (ctx.config.network?.allowedIps ?? []).filter(
      (ip) => !matchingRule(ip.split('/')[0]!, rules) || (ip.includes('/') && !rules.includes(displayIpRule(ip))),
    );
    if (missing.length > 0) {
      return fail(
        `Vault ${ctx.config.vault.name}'s ipRules (${rules.join(', ') || 'none'}) lack ${missing.join(', ')}.`,
        { hint: missing.map((ip) => fixes.allowIp(diagnosisContext(ctx, facts), ip)).join(' && ') },
      );
    }
    if (facts.vault.defaultAction !== 'Deny') {
      return {
        status: 'warn',
        message: `defaultAction is ${facts.vault.defaultAction ?? 'Allow'}, so the vault takes requests from any address`,
        hint: `az keyvault update --name ${ctx.config.vault.name} --default-action Deny`,
      };
    }
    return pass(`Deny by default; allows ${rules.join(', ')}`);
  },
};
