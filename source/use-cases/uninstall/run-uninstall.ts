/**
 * The uninstall use case on the shared run skeleton: plan the removals (reads only), stop on
 * anything blocked, apply the one approval rule, ask for the typed vault name before a vault
 * deletion or purge, then run the removals (DAG, stale-plan check, verify = read back gone).
 * Knows nothing of flag parsing, React or stdout.
 */
import type { ApplyResult } from '../../kernel/executor.js';
import { CancelledError, UserError } from '../../kernel/errors.js';
import type { EventSink } from '../../kernel/events.js';
import type { Plan } from '../../kernel/plan.js';
import type { SetupConfig } from '../../config/setup-config.js';
import type { Step } from '../../steps/step-context.js';
import type { AzureConnection } from '../../azure/clients.js';
import type { KubePort } from '../../kube/port.js';
import { CHANGED_SINCE } from '../../domain/ownership.js';
import { buildBaseContext, runSkeleton } from '../run-skeleton.js';
import { selectRemovalSteps } from '../../removals/index.js';
import { DELETE_VAULT } from '../../removals/vault.js';
import { PURGE_VAULT } from '../../removals/purge.js';

export interface RunUninstallOptions {
  config: SetupConfig;
  mode: 'plan' | 'dry-run' | 'apply';
  yes: boolean;
  hasTTY: boolean;
  signal: AbortSignal;
  emit: EventSink;
  connection: AzureConnection;
  kube?: KubePort;
  deleteVault: boolean;
  purge: boolean;
  /** The one approval prompt (TTY only). */
  confirm?: (plan: Plan) => Promise<boolean>;
  /** Asks the operator to type the vault name (TTY only); resolves with what was typed. */
  typeVaultName?: (vaultName: string, what: string) => Promise<string>;
  concurrency?: number;
  pollIntervalMs?: number;
  waitTimeoutMs?: number;
  now?: () => number;
  steps?: readonly Step[];
}

export interface UninstallOutcome {
  exitCode: 0 | 2;
  plan: Plan;
  applied?: ApplyResult;
  /** '=' lines for things this tool made that someone else changed since (kept). */
  warnings: string[];
}

function vaultWhat(options: Pick<RunUninstallOptions, 'deleteVault' | 'purge'>): string {
  return options.purge ? 'delete and purge it (permanent)' : 'delete it (soft delete)';
}

export async function runUninstall(options: RunUninstallOptions): Promise<UninstallOutcome> {
  const destructive = options.deleteVault || options.purge;
  const vaultName = options.config.vault.name;
  // Typing the name is the confirmation, and --yes doesn't stand in for it: without a terminal, refuse before reading anything.
  if (destructive && options.mode === 'apply' && !options.hasTTY) {
    throw new UserError(
      `${options.purge ? '--purge' : '--delete-vault'} needs you to type the vault name ${vaultName}, and there's no terminal to type it on: nothing was changed.`,
      'Run it in a terminal, or leave the vault in place (uninstall keeps it and its secrets by default).',
    );
  }
  const steps =
    options.steps ??
    selectRemovalSteps(options.config, {
      deleteVault: options.deleteVault,
      purge: options.purge,
      ...(options.now ? { now: options.now } : {}),
    });
  const base = buildBaseContext(options);
  let warnings: string[] = [];
  const outcome = await runSkeleton({
    ...options,
    steps,
    base,
    concurrency: options.concurrency ?? 4,
    afterPlan: (plan) => {
      warnings = plan.steps.flatMap((s) =>
        s.changes
          .filter((c) => c.mark === '=' && c.reason.includes(CHANGED_SINCE))
          .map((c) => `${c.resource}: ${c.reason}`),
      );
      for (const message of warnings) options.emit({ type: 'log', level: 'warn', message: `Kept ${message}` });
    },
    noTerminal: (plan) => ({
      message: `The uninstall plan has ${plan.changes} removal${plan.changes === 1 ? '' : 's'}, and there's no terminal to approve them: nothing was changed.`,
      hint: 'Add --yes to remove without a prompt, or run with --dry-run to review the plan first.',
    }),
    beforeApply: async (plan) => {
      const vaultSteps = plan.steps.filter(
        (s) => (s.stepId === DELETE_VAULT || s.stepId === PURGE_VAULT) && s.action !== 'no-op',
      );
      if (vaultSteps.length === 0) return;
      if (!options.typeVaultName) throw new Error('runUninstall needs typeVaultName for --delete-vault or --purge.');
      const typed = await options.typeVaultName(vaultName, vaultWhat(options));
      if (typed.trim() !== vaultName)
        throw new CancelledError(`Nothing was changed: the typed name doesn't match vault ${vaultName}.`, 1);
    },
  });
  return { ...outcome, warnings };
}
