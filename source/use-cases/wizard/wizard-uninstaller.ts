/**
 * The guided session's uninstall: use-cases/uninstall's runUninstall on a setup's configuration,
 * with the same event folding as a setup run and its one approval. The wizard never deletes
 * or purges the vault: that stays the CLI's `uninstall --delete-vault`, with its typed name.
 */
import type { SetupConfig } from '../../config/setup-config.js';
import { runUninstall } from '../uninstall/run-uninstall.js';
import type { RunIo } from './run-io.js';
import type { WizardConnection } from '../../connect/wizard-connection.js';
import { wizardRunBasics } from './wizard-run-basics.js';

export type UninstallRunner = (config: SetupConfig, io: RunIo) => Promise<void>;

export function wizardUninstaller(wizard: WizardConnection): UninstallRunner {
  return async (config, io) => {
    const { connection, kube, apply } = await wizardRunBasics(wizard, config, io, 'uninstall');
    const outcome = await runUninstall({
      config,
      ...apply,
      connection,
      ...(kube ? { kube } : {}),
      deleteVault: false,
      purge: false,
    });
    const { plan, warnings } = outcome;
    const kept = warnings.length > 0 ? ` ${warnings.length} changed since by someone else: kept.` : '';
    const vault = `Vault ${config.vault.name} and its secrets are kept.`;
    const summary = plan.isEmpty
      ? `Nothing of this tool's is left to remove. ${vault}${kept}`
      : `Uninstalled: ${plan.changes} removal${plan.changes === 1 ? '' : 's'}, each verified gone. ${vault}${kept}`;
    io.emit({ type: 'result', ok: true, exitCode: 0, summary, changes: plan.changes, kept: warnings });
  };
}
