/**
 * Locking down a vault that existed before the run (not made by this tool: no ownership tag)
 * may cut off whoever else uses it over the public network. The plan says so, and the change
 * goes ahead only when the operator confirmed it (network.lockDownExistingVault, which the
 * wizard sets after asking).
 */
import { blocked } from '../kernel/plan.js';
import type { Change, StepPlan } from '../kernel/step.js';
import type { SetupConfig } from '../config/setup-config.js';
import { MANAGED_BY_TAG } from '../domain/ownership.js';
import type { Vault } from '../azure/vaults.js';

/** A vault that is there and wasn't created by this tool. */
export function existedBefore(vault: Vault | undefined): boolean {
  return Boolean(vault) && vault?.tags?.['managed-by'] !== MANAGED_BY_TAG['managed-by'];
}

const LOCKDOWN_WARNING =
  'the vault existed before this run and may serve others: whoever reaches it over the public network loses access';

/**
 * For a lock-down change on such a vault: the change, flagged, when confirmed; otherwise a
 * blocked plan with the confirmation to give.
 */
export function confirmLockdown(
  config: SetupConfig,
  vault: Vault | undefined,
  observed: unknown,
  changes: Change[],
  what: string,
): StepPlan | Change[] {
  if (!existedBefore(vault) || changes.every((c) => c.mark === '=')) return changes;
  if (config.network?.lockDownExistingVault)
    return changes.map((c) =>
      c.mark === '='
        ? c
        : { ...c, reason: `${c.reason}; ${LOCKDOWN_WARNING} (confirmed: network.lockDownExistingVault)` },
    );
  return blocked(
    observed,
    `Vault ${config.vault.name} existed before this run and may serve others: ${what} cuts off whoever reaches it over the public network.`,
    `Check who uses it first (its diagnostic logs, or az monitor activity-log list --resource-id <vault id>). To go ahead, set network.lockDownExistingVault: true in the preset and run with --yes; or give Feathr a vault of its own (vault.name).`,
  );
}
