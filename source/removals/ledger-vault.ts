/** The vault whose tags hold the ledger, read by the ledger-driven removals. */
import type { AzureClients } from '../azure/clients.js';
import type { SetupConfig } from '../config/setup-config.js';
import { getVault, type Vault } from '../azure/vaults.js';
import { readLedger, type Ledger } from '../domain/ledger.js';
import { vaultGroup } from '../config/setup-config.js';

export async function vaultLedger(ctx: {
  config: SetupConfig;
  azure: AzureClients;
  signal: AbortSignal;
}): Promise<{ vault?: Vault; ledger: Ledger }> {
  const vault = await getVault(ctx, vaultGroup(ctx.config), ctx.config.vault.name);
  return { ...(vault ? { vault } : {}), ledger: readLedger(vault?.tags) };
}
