/**
 * `uninstall --preset FILE`: open Azure and the cluster (real, or both the sandbox's), wire
 * Ctrl-C to an AbortSignal, run the removals, report the result event. The prompts (approval,
 * the typed vault name) are plain readline on stderr, only ever on a terminal.
 */
import type { EventSink } from '../../kernel/events.js';
import type { Plan } from '../../kernel/plan.js';
import type { SetupConfig } from '../../config/setup-config.js';
import { openPorts, portsRequest } from '../../connect/ports.js';
import { runInterruptible } from '../../connect/interrupt.js';
import { ask, askYes } from '../../connect/prompt.js';
import { runUninstall, type RunUninstallOptions } from './run-uninstall.js';

export interface UninstallCommandInput {
  config: SetupConfig;
  flags: {
    yes: boolean;
    dryRun: boolean;
    output: 'text' | 'json';
    sandbox: boolean;
    sandboxUrl?: string;
    sandboxCa?: string;
    kubeContext?: string;
  };
  deleteVault: boolean;
  purge: boolean;
  stdinIsTTY: boolean;
  emit: EventSink;
  confirm?: (plan: Plan) => Promise<boolean>;
  typeVaultName?: RunUninstallOptions['typeVaultName'];
}

const askApproval = (plan: Plan): Promise<boolean> =>
  askYes(`Remove these ${plan.changes} thing${plan.changes === 1 ? '' : 's'}? Type yes to go ahead: `);

const askVaultName = (vaultName: string, what: string): Promise<string> =>
  ask(`To ${what}, type the vault name (${vaultName}): `);

export async function uninstallCommand(input: UninstallCommandInput): Promise<number> {
  const mode = input.flags.dryRun ? 'dry-run' : 'apply';
  return runInterruptible(
    () => openPorts(portsRequest(input)),
    async ({ connection, kube }, signal) => {
      const outcome = await runUninstall({
        config: input.config,
        mode,
        yes: input.flags.yes,
        hasTTY: input.stdinIsTTY && input.flags.output !== 'json',
        signal,
        emit: input.emit,
        connection,
        kube,
        deleteVault: input.deleteVault,
        purge: input.purge,
        confirm: input.confirm ?? askApproval,
        typeVaultName: input.typeVaultName ?? askVaultName,
      });
      const { plan, warnings } = outcome;
      const kept = warnings.length > 0 ? ` ${warnings.length} changed since by someone else: kept.` : '';
      const vault =
        input.deleteVault || input.purge ? '' : ` Vault ${input.config.vault.name} and its secrets are kept.`;
      const summary =
        mode === 'dry-run'
          ? `${plan.changes} removal${plan.changes === 1 ? '' : 's'} pending (dry run: nothing was changed).${kept}`
          : plan.isEmpty
            ? `Nothing of this tool's is left to remove.${vault}${kept}`
            : `Uninstalled: ${plan.changes} removal${plan.changes === 1 ? '' : 's'}, each verified gone.${vault}${kept}`;
      input.emit({
        type: 'result',
        ok: true,
        exitCode: outcome.exitCode,
        summary,
        changes: plan.changes,
        kept: warnings,
      });
      return outcome.exitCode;
    },
  );
}
