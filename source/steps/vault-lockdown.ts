/**
 * azure: publicNetworkAccess Disabled, the last step: only after the secrets are in (the
 * operator writes them through the public endpoint) and after the private path works
 * (endpoint, A record, zone links, peering), so nobody is locked out.
 */
import { defineStep } from './step-context.js';
import { fromChanges, noOp } from '../kernel/plan.js';
import { UserError } from '../kernel/errors.js';
import { getVault, patchVault } from '../azure/vaults.js';
import { SECRETS_IN } from './migrate-secrets.js';
import { vaultGroup } from '../config/setup-config.js';
import { confirmLockdown, existedBefore } from './existing-vault.js';

export const vaultLockdownStep = defineStep<'config' | 'azure' | 'signal'>({
  id: 'vault-lockdown',
  title: 'Vault public access off',
  dependsOn: [SECRETS_IN, 'private-endpoint', 'dns-zone-group', 'dns-zone-links', 'vnet-peering'],
  appliesTo: (config) => config.target === 'azure',
  async plan(ctx) {
    const vault = await getVault(ctx, vaultGroup(ctx.config), ctx.config.vault.name);
    const access = vault?.properties.publicNetworkAccess;
    const label = `vault ${ctx.config.vault.name}`;
    if (access?.toLowerCase() === 'disabled')
      return noOp({ access }, [
        { mark: '=', resource: label, field: 'publicNetworkAccess', reason: 'already Disabled' },
      ]);
    const observed = { access: access ?? null, existedBefore: existedBefore(vault) };
    const judged = confirmLockdown(
      ctx.config,
      vault,
      observed,
      [
        {
          mark: '~',
          resource: label,
          field: 'publicNetworkAccess',
          from: access ?? 'Enabled',
          to: 'Disabled',
          reason: 'only the private endpoint may reach the vault; done after the secrets are in',
        },
      ],
      'turning off its public network access',
    );
    return Array.isArray(judged) ? fromChanges(observed, judged) : judged;
  },
  async apply(ctx) {
    await patchVault(
      ctx,
      vaultGroup(ctx.config),
      ctx.config.vault.name,
      { publicNetworkAccess: 'Disabled' },
      'public network access',
    );
  },
  async verify(ctx) {
    const vault = await getVault(ctx, vaultGroup(ctx.config), ctx.config.vault.name);
    if (vault?.properties.publicNetworkAccess?.toLowerCase() !== 'disabled')
      throw new UserError(`Vault ${ctx.config.vault.name} still allows public access.`, 'Run the same command again.');
    return `Vault ${ctx.config.vault.name} reachable only through its private endpoint`;
  },
});
