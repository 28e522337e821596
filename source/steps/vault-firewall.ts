/**
 * other-cloud: the public endpoint behind a firewall: publicNetworkAccess Enabled,
 * defaultAction Deny, ipRules = the cluster's egress IPs, bypass as chosen. Only networkAcls
 * (and publicNetworkAccess) are PATCHed. It runs after the secrets milestone, so the operator
 * is never locked out before the secrets are in.
 */
import { type Change } from '../kernel/step.js';
import { defineStep } from './step-context.js';
import { fromChanges } from '../kernel/plan.js';
import { UserError } from '../kernel/errors.js';
import type { SetupConfig } from '../config/setup-config.js';
import { getVault, patchVault, type Vault } from '../azure/vaults.js';
import { ipRuleSet } from '../domain/ip-rules.js';
import { recordInLedger } from '../domain/ledger.js';
import { SECRETS_IN } from './migrate-secrets.js';
import { vaultGroup } from '../config/setup-config.js';
import { confirmLockdown } from './existing-vault.js';

interface Desired {
  bypass: 'AzureServices' | 'None';
  ipRules: string[];
  kept: string[];
}

function desired(config: SetupConfig, vault: Vault | undefined): Desired {
  const wanted = ipRuleSet(config.network?.allowedIps ?? []);
  const existing = ipRuleSet((vault?.properties.networkAcls?.ipRules ?? []).map((r) => r.value));
  const keep = config.network?.keepExistingIpRules !== false;
  const kept = keep ? existing.filter((ip) => !wanted.includes(ip)) : [];
  return { bypass: config.network?.bypass ?? 'AzureServices', ipRules: ipRuleSet([...wanted, ...kept]), kept };
}

function diff(config: SetupConfig, vault: Vault | undefined): Change[] {
  const name = `vault ${config.vault.name}`;
  const acls = vault?.properties.networkAcls;
  const want = desired(config, vault);
  const changes: Change[] = [];
  const access = vault?.properties.publicNetworkAccess;
  if ((access ?? '').toLowerCase() !== 'enabled')
    changes.push({
      mark: '~',
      resource: name,
      field: 'publicNetworkAccess',
      ...(access ? { from: access } : {}),
      to: 'Enabled',
      reason: 'the cluster reaches the vault over its public endpoint',
    });
  if (acls?.defaultAction !== 'Deny')
    changes.push({
      mark: '~',
      resource: name,
      field: 'networkAcls.defaultAction',
      ...(acls?.defaultAction ? { from: acls.defaultAction } : {}),
      to: 'Deny',
      reason: 'only the allowlisted IPs may reach the data plane',
    });
  if ((acls?.bypass ?? 'AzureServices') !== want.bypass || !acls)
    changes.push({
      mark: '~',
      resource: name,
      field: 'networkAcls.bypass',
      ...(acls?.bypass ? { from: acls.bypass } : {}),
      to: want.bypass,
      reason: 'as the preset chooses',
    });
  const existing = ipRuleSet((acls?.ipRules ?? []).map((r) => r.value));
  for (const ip of want.ipRules.filter((ip) => !existing.includes(ip)))
    changes.push({ mark: '+', resource: `${name} ipRules`, to: ip, reason: 'cluster egress IP in the allowlist' });
  for (const ip of existing.filter((ip) => !want.ipRules.includes(ip)))
    changes.push({
      mark: '~',
      resource: `${name} ipRules`,
      from: ip,
      reason: 'not in the allowlist and keepExistingIpRules is false',
    });
  for (const ip of want.ipRules.filter((ip) => existing.includes(ip))) {
    changes.push({
      mark: '=',
      resource: `${name} ipRules`,
      to: ip,
      reason: want.kept.includes(ip) ? 'kept: already on the vault (keepExistingIpRules)' : 'already allowed',
    });
  }
  return changes;
}

function observed(vault: Vault | undefined): unknown {
  if (!vault) return { absent: true };
  const acls = vault.properties.networkAcls;
  return {
    access: vault.properties.publicNetworkAccess ?? null,
    defaultAction: acls?.defaultAction ?? null,
    bypass: acls?.bypass ?? null,
    ipRules: ipRuleSet((acls?.ipRules ?? []).map((r) => r.value)),
  };
}

export const vaultFirewallStep = defineStep<'config' | 'azure' | 'signal' | 'addFinalizer'>({
  id: 'vault-firewall',
  title: 'Vault firewall (IP allowlist)',
  dependsOn: ['vault', SECRETS_IN],
  appliesTo: (config) => config.target === 'other-cloud',
  async plan(ctx) {
    const vault = await getVault(ctx, vaultGroup(ctx.config), ctx.config.vault.name);
    const changes = diff(ctx.config, vault);
    // Already Deny: the vault is locked down as it is, the allowlist only grows.
    const judged =
      vault?.properties.networkAcls?.defaultAction === 'Deny'
        ? changes
        : confirmLockdown(ctx.config, vault, observed(vault), changes, 'denying all but the allowlisted addresses');
    return Array.isArray(judged) ? fromChanges(observed(vault), judged) : judged;
  },
  async apply(ctx) {
    const resourceGroup = vaultGroup(ctx.config);
    const vault = await getVault(ctx, resourceGroup, ctx.config.vault.name);
    const want = desired(ctx.config, vault);
    const before = ipRuleSet((vault?.properties.networkAcls?.ipRules ?? []).map((r) => r.value));
    // The vault's ledger lists the rules this run added, so uninstall takes back exactly those.
    recordInLedger(ctx, { kind: 'ip-rules', rules: want.ipRules.filter((ip) => !before.includes(ip)) });
    await patchVault(
      ctx,
      resourceGroup,
      ctx.config.vault.name,
      {
        publicNetworkAccess: 'Enabled',
        networkAcls: {
          defaultAction: 'Deny',
          bypass: want.bypass,
          ipRules: want.ipRules.map((value) => ({ value })),
          // networkAcls is replaced as a whole: carry the VNet rules over untouched.
          virtualNetworkRules: vault?.properties.networkAcls?.virtualNetworkRules ?? [],
        },
      },
      'the firewall',
    );
  },
  async verify(ctx) {
    const vault = await getVault(ctx, vaultGroup(ctx.config), ctx.config.vault.name);
    const pending = diff(ctx.config, vault).filter((c) => c.mark !== '=');
    if (pending.length > 0)
      throw new UserError(
        `Vault ${ctx.config.vault.name}'s firewall doesn't match after the update: ${pending.map((c) => c.field ?? c.to ?? c.from).join(', ')}.`,
        'Run the same command again.',
      );
    const rules = vault?.properties.networkAcls?.ipRules?.length ?? 0;
    return `Vault firewall set: defaultAction Deny, ${rules} IP rule${rules === 1 ? '' : 's'}`;
  },
});
