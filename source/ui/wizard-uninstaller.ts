/**
 * The guided session's uninstall: source/uninstall's runUninstall on a setup's configuration,
 * with the same event folding as a setup run and its one approval. The wizard never deletes
 * or purges the vault: that stays the CLI's `uninstall --delete-vault`, with its typed name.
 */
import type { SetupConfig } from '../engine/setup-config.js';
import { runUninstall } from '../uninstall/run-uninstall.js';
import type { RunIo } from './run-handle.js';
import type { WizardConnection } from './wizard-connection.js';

export type UninstallRunner = (config: SetupConfig, io: RunIo) => Promise<void>;

export function wizardUninstaller(wizard: WizardConnection): UninstallRunner {
  return async (config, io) => {
    io.emit({ type: 'run.started', command: 'uninstall', target: config.target, sandbox: wizard.sandbox });
    const connection = await wizard.forSubscription(config.azure.subscriptionId);
    const context = config.cluster?.kubeContext;
    const kube = context ? await wizard.clusters.port(context) : undefined;
    const outcome = await runUninstall({
      config,
      mode: 'apply',
      yes: false,
      hasTTY: true,
      signal: io.signal,
      emit: io.emit,
      connection,
      ...(kube ? { kube } : {}),
      deleteVault: false,
      purge: false,
      confirm: io.approve,
    });
    const { plan, warnings } = outcome;
    const kept = warnings.length > 0 ? ` ${warnings.length} changed since by someone else: kept.` : '';
    const vault = `Vault ${config.vault.name} and its secrets are kept.`;
    const summary = plan.isEmpty ? `Nothing of this tool's is left to remove. ${vault}${kept}` : `Uninstalled: ${plan.changes} removal${plan.changes === 1 ? '' : 's'}, each verified gone. ${vault}${kept}`;
    io.emit({ type: 'result', ok: true, exitCode: 0, summary, changes: plan.changes, kept: warnings });
  };
}

