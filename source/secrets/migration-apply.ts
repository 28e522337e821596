/**
 * Applies the migration: re-prepares (waiting for a propagating role this time), writes only
 * new and changed secrets, keeps the local record of what was written, then verifies. Over
 * the data plane every value is read back and compared byte for byte; over the management
 * plane each secret's current version must be the one written, and the value check happens
 * in the cluster (verify.ts verifyInCluster) once a pod mounts the SecretProviderClass.
 */
import { UserError } from '../kernel/errors.js';
import { countByKind } from './diff.js';
import { prepareMigration, type MigrationEnv, type PreparedMigration } from './migration.js';
import { migrationStepPlan } from './migration-plan.js';
import { pipelinedReadBack, verifyFailed, verifyVersions, type VerifyReport } from './verify.js';
import { systemClock, writeAll, type WriteReport } from './writer.js';
import { addTemporaryRule } from './temporary-rule.js';

export interface MigrationResult {
  plane: 'data' | 'management';
  written: number;
  unchanged: number;
  onlyInVault: number;
  throttled: number;
  verify: VerifyReport;
}

export async function applyMigration(env: MigrationEnv): Promise<MigrationResult> {
  const prepared = await prepareMigration(env, { waitForRole: true, forWriting: true });
  if (!prepared.temporaryRule) return applyPrepared(env, prepared);
  const ruleCtx = { azure: env.azure, signal: env.signal, resourceGroup: env.resourceGroup, vaultName: env.vaultName };
  const remove = await addTemporaryRule(ruleCtx, prepared.temporaryRule);
  env.addFinalizer?.({ name: `remove the temporary firewall rule for ${prepared.temporaryRule}`, run: remove });
  try {
    return await applyPrepared(env, await throughTheRule(env, prepared.temporaryRule));
  } finally {
    await remove();
  }
}

/** Prepares again once the new rule lets the operator's probe through (bounded). */
async function throughTheRule(env: MigrationEnv, address: string): Promise<PreparedMigration> {
  const clock = env.tuning?.clock ?? systemClock;
  const started = clock.now();
  for (;;) {
    const again = await prepareMigration(
      { ...env, temporaryFirewallRule: false },
      { waitForRole: true, forWriting: true },
    );
    if (again.vault?.decision.plane === 'data') return again;
    if (clock.now() - started > env.waitTimeoutMs) {
      throw new UserError(
        `The temporary firewall rule for ${address} doesn't let the operator through to vault ${env.vaultName} yet.`,
        'Run again, or set secrets.temporaryFirewallRule: false to write over the management plane.',
      );
    }
    env.progress(`Waiting for the temporary firewall rule for ${address} to take effect`);
    await clock.sleep(env.pollIntervalMs, env.signal);
  }
}

async function applyPrepared(env: MigrationEnv, prepared: PreparedMigration): Promise<MigrationResult> {
  const vault = prepared.vault;
  if (!vault)
    throw new UserError(
      `Vault ${env.vaultName} doesn't exist, so no secret can be written.`,
      'Run the whole setup: the vault step creates it first.',
    );
  const plan = migrationStepPlan(prepared, env.vaultName);
  if (plan.action === 'blocked') throw new UserError(plan.blockedReason ?? 'Secret migration is blocked.', plan.hint);

  const jobs = vault.diff.items
    .filter((i) => i.kind === 'new' || i.kind === 'changed')
    .map((i) => ({ entry: i.entry, previousVersion: i.currentVersion }));
  // Values the vault already holds are remembered too, so a later run without data-plane access can still call them unchanged.
  for (const item of vault.diff.items) {
    if (item.kind === 'unchanged' && item.currentVersion && vault.plane.kind === 'data')
      prepared.record.remember(item.entry.vaultName, item.currentVersion, item.entry.value);
  }
  const counts = countByKind(vault.diff);
  const readBack = vault.dataPlane ? pipelinedReadBack(vault.dataPlane, prepared.retry, counts.unchanged) : undefined;
  let report: WriteReport;
  const total = jobs.length;
  let done = 0;
  const step = Math.max(1, Math.ceil(total / 20));
  try {
    report = await writeAll(jobs, vault.plane, {
      ...prepared.retry,
      onWritten: (entry, version) => {
        prepared.record.remember(entry.vaultName, version, entry.value);
        readBack?.check(entry);
        done += 1;
        if (done % step === 0 || done === total) env.progress(`Secrets written: ${done} of ${total}`);
      },
    });
  } finally {
    // Whatever landed is recorded, even when the run stops half-way.
    await prepared.record.save();
    await readBack?.finish().catch(() => undefined); // settle reads in flight; their result is taken below
  }
  if (env.signal.aborted)
    throw env.signal.reason instanceof Error ? env.signal.reason : new UserError('Secret migration was cancelled.');
  if (report.failed.length > 0) throw writeFailure(env.vaultName, report);

  const verify = readBack ? await readBack.finish() : await verifyByVersion(prepared, report);
  if (verifyFailed(verify)) throw verifyFailure(env.vaultName, verify);
  return {
    plane: vault.plane.kind,
    written: report.written.length,
    unchanged: counts.unchanged,
    onlyInVault: vault.diff.onlyInVault.length,
    throttled: report.throttled,
    verify,
  };
}

async function verifyByVersion(prepared: PreparedMigration, report: WriteReport): Promise<VerifyReport> {
  const vault = prepared.vault!;
  const writtenVersion = new Map(report.written.map((w) => [w.entry.vaultName.toLowerCase(), w.version]));
  const expected = vault.diff.items.map((i) => ({
    entry: i.entry,
    version: writtenVersion.get(i.entry.vaultName.toLowerCase()) ?? i.currentVersion,
  }));
  return verifyVersions(vault.plane, expected, prepared.retry);
}

function writeFailure(vaultName: string, report: WriteReport): UserError {
  const deleted = report.failed.filter((f) => f.error.facts.kind === 'deleted' || f.error.facts.status === 409);
  const lines = report.failed.map((f) => `${f.entry.env} → ${f.entry.vaultName}: ${f.error.message}`);
  const hint =
    deleted.length > 0
      ? `Soft-deleted names can only be recovered or purged: az keyvault secret recover --vault-name ${vaultName} --name ${deleted[0]!.entry.vaultName}; then run again.`
      : 'Run again: secrets already written are recognised as unchanged and not written twice.';
  return new UserError(
    `Can't write ${report.failed.length} of ${report.failed.length + report.written.length} secrets to vault ${vaultName}.`,
    hint,
    lines,
  );
}

function verifyFailure(vaultName: string, verify: VerifyReport): UserError {
  const details = [
    ...verify.missing.map((n) => `${n}: missing`),
    ...verify.mismatched.map((n) => `${n}: differs from its source`),
  ];
  return new UserError(
    `Verification of vault ${vaultName} failed (${verify.method}): ${details.length} secrets don't match.`,
    'Run again to rewrite them; if it keeps failing, something else is writing to this vault.',
    details,
  );
}
