/**
 * The data plane through a temporary firewall rule, an explicit choice
 * (`secrets.temporaryFirewallRule`): when the vault firewall keeps the operator out, the
 * management plane always works but ARM lets a subscription write only 200 secrets at once and
 * 10 a second after that, while Key Vault takes 300 per 10 s. For many secrets a rule for the
 * operator's own address is faster; it is added just before writing and removed right after
 * (and by a run finalizer if the run stops in between).
 */
import type { AzureClients } from '../azure/clients.js';
import { getVault, patchVault, type NetworkRuleSet } from '../azure/vaults.js';
import { ARM_WRITE_BUCKET } from './arm-write-pacer.js';

/** Key Vault's secret-set limit per vault: 300 per 10 s. */
const DATA_PLANE_PER_SECOND = 30;

/** Seconds each plane needs for `writes` secrets at its limit (the ARM bucket assumed full). */
export function planeSeconds(writes: number): { management: number; data: number } {
  return {
    management: Math.max(0, writes - ARM_WRITE_BUCKET.size) / ARM_WRITE_BUCKET.refillPerSecond,
    // Two vault updates (add and remove the rule) cost a few seconds of their own.
    data: writes / DATA_PLANE_PER_SECOND + 4,
  };
}

export function ruleValue(address: string): string {
  return address.includes('/') ? address : `${address}/32`;
}

interface RuleCtx {
  azure: AzureClients;
  signal: AbortSignal;
  resourceGroup: string;
  vaultName: string;
}

async function currentRules(ctx: RuleCtx): Promise<NetworkRuleSet> {
  const vault = await getVault(ctx, ctx.resourceGroup, ctx.vaultName);
  const acls = vault?.properties?.networkAcls;
  return {
    defaultAction: acls?.defaultAction ?? 'Deny',
    bypass: acls?.bypass ?? 'AzureServices',
    ipRules: acls?.ipRules ?? [],
    virtualNetworkRules: acls?.virtualNetworkRules ?? [],
  };
}

const same = (a: string | undefined, b: string) => (a ?? '').replace(/\/32$/, '') === b.replace(/\/32$/, '');

/** Adds the rule; returns how to remove it (a no-op when the rule was already there). */
export async function addTemporaryRule(ctx: RuleCtx, address: string): Promise<() => Promise<void>> {
  const acls = await currentRules(ctx);
  if ((acls.ipRules ?? []).some((r) => same(r.value, address))) return async () => undefined;
  await patchVault(
    ctx,
    ctx.resourceGroup,
    ctx.vaultName,
    { networkAcls: { ...acls, ipRules: [...(acls.ipRules ?? []), { value: ruleValue(address) }] } },
    'temporary firewall rule',
  );
  let removed = false;
  return async () => {
    if (removed) return;
    removed = true;
    const now = await currentRules(ctx);
    await patchVault(
      ctx,
      ctx.resourceGroup,
      ctx.vaultName,
      { networkAcls: { ...now, ipRules: (now.ipRules ?? []).filter((r) => !same(r.value, address)) } },
      'temporary firewall rule',
    );
  };
}
