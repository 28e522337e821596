/**
 * Names and inputs: vault name rules, IP rules, address-space overlap (address-space.ts), and
 * whether the vault name is free or soft-deleted.
 */
import { allowedIpProblem } from '../config/allowed-ips.js';
import { vaultNameProblems, suggestVaultName } from '../domain/vault-name.js';
import { checkVaultName, findDeletedVault, getVault } from '../azure/vaults.js';
import { addressSpaceCheck } from './address-space.js';
import { customDnsCheck } from './custom-dns.js';
import { fail, pass, skip, type Check } from './types.js';
import { vaultGroup } from '../config/setup-config.js';

export const inputChecks: readonly Check[] = [
  {
    id: 'inputs.names',
    category: 'inputs',
    phase: 'preflight',
    description: 'names and IP rules are valid',
    severity: 'fatal',
    hint: (ctx) => {
      const suggestion = suggestVaultName(ctx.config.vault.name);
      return `Fix the named fields in the preset${suggestion && suggestion !== ctx.config.vault.name ? ` (for example vault.name: ${suggestion})` : ''}.`;
    },
    async run(ctx) {
      const problems = vaultNameProblems(ctx.config.vault.name).map((p) => `vault.name ${p}`);
      if (ctx.config.target === 'other-cloud') {
        for (const ip of ctx.config.network?.allowedIps ?? []) {
          const problem = allowedIpProblem(ip);
          if (problem) problems.push(`network.allowedIps entry ${ip} ${problem}`);
        }
      }
      return problems.length > 0 ? fail(`${problems.join('; ')}.`) : pass();
    },
  },
  addressSpaceCheck,
  customDnsCheck,
  {
    id: 'inputs.vault-name',
    category: 'inputs',
    phase: 'preflight',
    description: 'the vault name is usable',
    severity: 'fatal',
    hint: (ctx) =>
      `Pick another vault.name (names are global), or recover the soft-deleted vault with vault.recover: true (az keyvault recover --name ${ctx.config.vault.name}).`,
    async run(ctx) {
      if (!ctx.azure) return skip('no Azure connection in this run');
      const { name, create } = ctx.config.vault;
      const rg = vaultGroup(ctx.config);
      const inner = { azure: ctx.azure, signal: ctx.signal };
      const existing = await getVault(inner, rg, name);
      if (existing) return pass(`vault ${name} exists in ${rg} and is reused`);
      const deleted = await findDeletedVault(inner, name);
      if (deleted) {
        if (ctx.config.vault.recover) return pass(`soft-deleted vault ${name} will be recovered (vault.recover: true)`);
        return fail(
          `Vault ${name} is soft-deleted (purge scheduled ${deleted.scheduledPurgeDate ?? 'later'}), so its name can't be reused until it's recovered or purged.`,
          {
            hint: `Set vault.recover: true to recover it, or pick another vault.name${deleted.purgeProtectionEnabled ? " (purge protection is on, so it can't be purged)" : `, or purge it: az keyvault purge --name ${name}`}.`,
          },
        );
      }
      if (create === false)
        return fail(`Vault ${name} doesn't exist in resource group ${rg}, and vault.create is false.`, {
          hint: `Set vault.create: true, or fix vault.name / azure.resourceGroup.`,
        });
      const availability = await checkVaultName(inner, name);
      if (!availability.available)
        return fail(
          `Vault name ${name} isn't available: ${availability.message ?? availability.reason ?? 'it is taken'}.`,
          { hint: 'Pick another vault.name: vault names are global across Azure.' },
        );
      return pass(`${name} is available`);
    },
  },
];
