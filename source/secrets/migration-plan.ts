/**
 * The migration's part of the plan value: names, sources, reasons and the chosen plane; no
 * value and no digest of one. The observed stamp covers the plane and each relevant secret's
 * current version, so a secret changed between plan and apply makes the plan stale.
 */
import { blocked, fromChanges } from '../kernel/plan.js';
import type { Change, StepPlan } from '../kernel/step.js';
import { countByKind } from './diff.js';
import type { PreparedMigration } from './migration.js';
import { planeSeconds, ruleValue } from './temporary-rule.js';

function observedOf(prepared: PreparedMigration): unknown {
  const vault = prepared.vault;
  return {
    names: prepared.collected.entries.map((e) => e.vaultName.toLowerCase()).sort(),
    vault: vault
      ? {
          plane: vault.decision.plane,
          items: vault.diff.items.map((i) => [i.entry.vaultName.toLowerCase(), i.kind, i.currentVersion ?? null]),
          onlyInVault: vault.diff.onlyInVault,
        }
      : 'absent',
  };
}

export function migrationStepPlan(prepared: PreparedMigration, vaultName: string): StepPlan {
  const observed = observedOf(prepared);
  const changes: Change[] = [];
  const missing = prepared.collected.missingFeathr;
  if (missing.length > 0) {
    changes.push({
      mark: '=',
      resource: 'secret sources',
      reason: `Feathr variables no source has: ${missing.join(', ')}`,
    });
  }
  const vault = prepared.vault;
  if (!vault) {
    for (const e of prepared.collected.entries) {
      changes.push({
        mark: '+',
        resource: `secret ${e.vaultName}`,
        field: e.env,
        reason: `vault ${vaultName} doesn't exist yet; from ${e.source}`,
      });
    }
    changes.push({
      mark: '=',
      resource: `vault ${vaultName} secrets`,
      field: 'write path',
      to: 'decided by probing when applying',
      reason: 'data plane if the operator reaches it, else the management plane',
    });
    return fromChanges(observed, changes);
  }

  const deleted = vault.diff.items.filter((i) => i.kind === 'deleted');
  if (deleted.length > 0) {
    const names = deleted.map((i) => i.entry.vaultName);
    const first = names[0]!;
    return blocked(
      observed,
      `${names.length === 1 ? `Secret ${first} is` : `Secrets ${names.join(', ')} are`} soft-deleted in vault ${vaultName}: the name can only be recovered or purged.`,
      `Recover ${names.length === 1 ? 'it' : 'each'} (az keyvault secret recover --vault-name ${vaultName} --name ${first}), which brings back the old value before this run writes the new one, or purge it if nothing needs it (az keyvault secret purge --vault-name ${vaultName} --name ${first}); then run again.`,
    );
  }

  const counts = countByKind(vault.diff);
  changes.push(...writePath(prepared, vaultName, counts.new + counts.changed));
  for (const item of vault.diff.items) {
    if (item.kind === 'new')
      changes.push({
        mark: '+',
        resource: `secret ${item.entry.vaultName}`,
        field: item.entry.env,
        reason: `${item.reason}; from ${item.entry.source}`,
      });
    if (item.kind === 'changed')
      changes.push({
        mark: '~',
        resource: `secret ${item.entry.vaultName}`,
        field: item.entry.env,
        reason: `${item.reason}; from ${item.entry.source}`,
      });
  }
  if (counts.unchanged > 0)
    changes.push({
      mark: '=',
      resource: `${counts.unchanged} secrets`,
      reason: 'unchanged: not written, no new version',
    });
  for (const name of vault.diff.onlyInVault) {
    changes.push({ mark: '=', resource: `secret ${name}`, reason: 'only in the vault: kept, never deleted' });
  }
  return fromChanges(observed, changes);
}

/** The plane, and the temporary firewall rule: made when chosen, offered when it would be faster. */
function writePath(prepared: PreparedMigration, vaultName: string, writes: number): Change[] {
  const decision = prepared.vault!.decision;
  const address = prepared.temporaryRule;
  if (address) {
    return [
      {
        mark: '=',
        resource: `vault ${vaultName} secrets`,
        field: 'write path',
        to: 'data plane',
        reason: `through a temporary firewall rule for the operator's address ${address} (secrets.temporaryFirewallRule)`,
      },
      {
        mark: '~',
        resource: `vault ${vaultName} firewall`,
        field: 'ipRules',
        to: `+ ${ruleValue(address)} while the secrets are written, then removed`,
        reason: 'temporary: the data plane takes 300 secrets per 10 s, ARM 10 a second after the first 200',
      },
    ];
  }
  const path: Change = {
    mark: '=',
    resource: `vault ${vaultName} secrets`,
    field: 'write path',
    to: `${decision.plane} plane`,
    reason: decision.reason,
  };
  if (decision.plane !== 'management' || !decision.clientAddress) return [path];
  const seconds = planeSeconds(writes);
  if (seconds.data >= seconds.management) return [path];
  return [
    path,
    {
      mark: '=',
      resource: `vault ${vaultName} secrets`,
      field: 'faster path',
      to: 'data plane through a temporary firewall rule',
      reason: `${writes} writes take about ${Math.ceil(seconds.management)} s through ARM (200 at once, then 10 a second) and about ${Math.ceil(seconds.data)} s over the data plane: set secrets.temporaryFirewallRule: true to let ${decision.clientAddress} through while writing (the rule is removed afterwards)`,
    },
  ];
}
