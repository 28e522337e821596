/**
 * Secret migration: every secret into the vault under its translated name. Runs
 * after the vault exists and the operator's data-plane role is granted, and before lock-down:
 * its id, `secrets-in` (SECRETS_IN), is what vault-lockdown, the firewall step and
 * the release wait for. It writes over the management plane when the operator can't reach
 * the data plane, so nobody is ever locked out with secrets missing.
 * The plan carries names and reasons only; values stay inside source/secrets.
 */
import { defineStep, type StepContext } from './step-context.js';
import { UserError } from '../kernel/errors.js';
import { applyMigration } from '../secrets/migration-apply.js';
import { migrationStepPlan } from '../secrets/migration-plan.js';
import { prepareMigration, type MigrationEnv } from '../secrets/migration.js';
import { countByKind } from '../secrets/diff.js';
import { defaultStateDir } from '../secrets/written-record.js';
import { vaultGroup } from '../config/setup-config.js';

/** The id every lock-down step waits for: the secrets are in the vault (and verified). */
export const SECRETS_IN = 'secrets-in';

type Ctx = Pick<
  StepContext,
  'config' | 'azure' | 'signal' | 'progress' | 'pollIntervalMs' | 'waitTimeoutMs' | 'secrets' | 'kube'
> &
  Partial<Pick<StepContext, 'addFinalizer'>>;

export function migrationEnv(ctx: Ctx): MigrationEnv {
  const settings = ctx.config.secrets;
  if (!settings)
    throw new UserError(
      'The preset has no secrets section.',
      'Add secrets.sources (an envFile, a kubernetesSecret or env names).',
    );
  const runtime = ctx.secrets ?? {};
  return {
    azure: ctx.azure,
    resourceGroup: vaultGroup(ctx.config),
    vaultName: ctx.config.vault.name,
    secrets: settings,
    // The run's cluster port serves a Kubernetes Secret source unless the runtime names another.
    collect: { kube: runtime.kube ?? ctx.kube, baseDir: runtime.baseDir, env: runtime.env, prompted: runtime.prompted },
    stateDir: runtime.stateDir ?? defaultStateDir(),
    signal: ctx.signal,
    progress: ctx.progress,
    pollIntervalMs: ctx.pollIntervalMs,
    waitTimeoutMs: ctx.waitTimeoutMs,
    ...(runtime.tuning ? { tuning: runtime.tuning } : {}),
    ...(settings.temporaryFirewallRule ? { temporaryFirewallRule: true } : {}),
    ...(ctx.addFinalizer ? { addFinalizer: ctx.addFinalizer } : {}),
  };
}

export const migrateSecretsStep = defineStep<
  'config' | 'azure' | 'signal' | 'progress' | 'pollIntervalMs' | 'waitTimeoutMs' | 'secrets' | 'kube' | 'addFinalizer'
>({
  // The id of the milestone it replaces: vault-lockdown and vault-firewall depend on it.
  id: SECRETS_IN,
  title: 'Secret migration',
  dependsOn: ['vault', 'operator-access'],
  appliesTo: (config) => (config.secrets?.sources.length ?? 0) > 0,
  async plan(ctx) {
    return migrationStepPlan(await prepareMigration(migrationEnv(ctx), { waitForRole: false }), ctx.config.vault.name);
  },
  async apply(ctx) {
    const result = await applyMigration(migrationEnv(ctx));
    ctx.progress(
      `Secrets migrated over the ${result.plane} plane: ${result.written} written, ${result.unchanged} unchanged, ${result.onlyInVault} only in the vault (kept)`,
    );
  },
  async verify(ctx) {
    // A fresh diff is the read-back: over the data plane "unchanged" means byte-equal values;
    // over the management plane it means the version this tool wrote is current.
    const prepared = await prepareMigration(migrationEnv(ctx), { waitForRole: true });
    const vault = prepared.vault;
    if (!vault) throw new UserError(`Vault ${ctx.config.vault.name} doesn't exist, so its secrets can't be verified.`);
    const off = vault.diff.items.filter((i) => i.kind !== 'unchanged');
    if (off.length > 0) {
      throw new UserError(
        `${off.length} secrets in vault ${ctx.config.vault.name} don't match their sources after migration.`,
        'Run again to rewrite them; if it keeps failing, something else is writing to this vault.',
        off.map((i) => `${i.entry.env} → ${i.entry.vaultName}: ${i.reason}`),
      );
    }
    const how =
      vault.plane.kind === 'data'
        ? 'read back over the data plane'
        : 'current versions match what this tool wrote (management plane)';
    return `Secrets verified: ${countByKind(vault.diff).unchanged} in vault ${ctx.config.vault.name}, ${how}; ${vault.diff.onlyInVault.length} only in the vault (kept)`;
  },
});
