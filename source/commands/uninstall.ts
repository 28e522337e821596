/**
 * `uninstall --preset FILE`: remove what the tool created, never the vault or its secrets
 * unless --delete-vault asks for it explicitly. Not built yet: validates, then says so.
 */
import { NotAvailableError } from '../engine/errors.js';
import type { ConfiguredCommandInput } from './command-context.js';

export interface UninstallInput extends ConfiguredCommandInput {
  deleteVault: boolean;
}

export async function uninstall(_input: UninstallInput): Promise<number> {
  throw new NotAvailableError('uninstall', 'the uninstall issue');
}
