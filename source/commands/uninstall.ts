/**
 * `uninstall --preset FILE`: remove what the tool created, never the vault or its secrets
 * unless --delete-vault (or --purge) asks for it and the vault name is typed. The work is in
 * source/use-cases/uninstall; this only hands over the parsed input.
 */
import type { ConfiguredCommandInput } from './command-context.js';

export interface UninstallInput extends ConfiguredCommandInput {
  deleteVault: boolean;
  purge: boolean;
}

export async function uninstall(input: UninstallInput): Promise<number> {
  const { uninstallCommand } = await import('../use-cases/uninstall/uninstall-command.js');
  return uninstallCommand({
    config: input.config,
    flags: input.flags,
    deleteVault: input.deleteVault,
    purge: input.purge,
    stdinIsTTY: input.io.stdinIsTTY,
    emit: (event) => input.reporter.emit(event),
  });
}
