/**
 * Soft-deleted names (reported with the recover option, never written over) and a data-plane
 * role that is still propagating (a bounded wait by a real read, then the data plane).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../../source/kernel/errors.js';
import { applyMigration } from '../../source/secrets/migration-apply.js';
import { migrationStepPlan } from '../../source/secrets/migration-plan.js';
import { prepareMigration } from '../../source/secrets/migration.js';
import { createSecretClient } from '../../source/secrets/data-plane.js';
import { sandboxVault, type SandboxVault } from './support/sandbox-vault.js';

let kv: SandboxVault | undefined;
afterEach(async () => {
  await kv?.close();
  kv = undefined;
});

const env = { CONN_STR: 'conn', FEATHRCI_PASS: 'pass' };
const settings = { sources: [{ env: Object.keys(env) }] };

async function softDelete(vault: SandboxVault, name: string): Promise<void> {
  const client = createSecretClient({
    vaultUrl: `${vault.sandbox.url}/kv/${vault.vaultName}`,
    credential: vault.azure.connection.credential,
    tlsOptions: vault.azure.connection.tlsOptions,
  });
  await client.setSecret(name, 'old value');
  await (await client.beginDeleteSecret(name, { intervalInMs: 1 })).pollUntilDone();
}

describe('soft-deleted names', () => {
  it('block the plan with the recover command and write nothing (data plane)', async () => {
    kv = await sandboxVault({ vaultName: 'feathr-kv-deleted' });
    await softDelete(kv, 'FEATHRCI-PASS');
    const plan = migrationStepPlan(
      await prepareMigration(kv.env(settings, { collect: { env } }), { waitForRole: false }),
      kv.vaultName,
    );
    expect(plan.action).toBe('blocked');
    expect(plan.blockedReason).toContain('Secret FEATHRCI-PASS is soft-deleted in vault feathr-kv-deleted');
    expect(plan.hint).toContain('az keyvault secret recover --vault-name feathr-kv-deleted --name FEATHRCI-PASS');
    const mark = kv.mark();
    await expect(applyMigration(kv.env(settings, { collect: { env } }))).rejects.toBeInstanceOf(UserError);
    expect(kv.writeAttemptsSince(mark)).toBe(0);
  });

  it('fail the write with the recover hint when only the management plane is reachable', async () => {
    kv = await sandboxVault({ vaultName: 'feathr-kv-deleted2' });
    await softDelete(kv, 'FEATHRCI-PASS');
    await kv.setNetwork({ publicNetworkAccess: 'Disabled' });
    const error = (await applyMigration(kv.env(settings, { collect: { env } })).catch((e: unknown) => e)) as UserError;
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toContain("Can't write 1 of 2 secrets");
    expect(error.details.join()).toContain('FEATHRCI_PASS → FEATHRCI-PASS');
    expect(error.hint).toContain('az keyvault secret recover --vault-name feathr-kv-deleted2 --name FEATHRCI-PASS');
    expect(kv.value('CONN-STR')).toBe('conn');
  });
});

describe('a data-plane role still propagating', () => {
  it('is planned as a wait, then waited for with a real read before writing over the data plane', async () => {
    kv = await sandboxVault({ vaultName: 'feathr-kv-rbac', rbacPropagationSeconds: 1 });
    const prepared = await prepareMigration(kv.env(settings, { collect: { env } }), { waitForRole: false });
    expect(prepared.vault?.decision).toMatchObject({ plane: 'data', awaitingRole: true });
    expect(migrationStepPlan(prepared, kv.vaultName).changes.find((c) => c.field === 'write path')?.reason).toContain(
      "isn't effective yet",
    );

    const progress: string[] = [];
    const result = await applyMigration(
      kv.env(settings, {
        collect: { env },
        pollIntervalMs: 100,
        waitTimeoutMs: 5000,
        progress: (m) => void progress.push(m),
      }),
    );
    expect(result).toMatchObject({ plane: 'data', written: 2 });
    expect(
      progress.some((m) => m.startsWith("Waiting for the operator's role or access policy on feathr-kv-rbac")),
    ).toBe(true);
  });

  it('stops with the role to grant when the wait runs out', async () => {
    kv = await sandboxVault({ vaultName: 'feathr-kv-rbac2', rbacPropagationSeconds: 600 });
    const run = applyMigration(kv.env(settings, { collect: { env }, pollIntervalMs: 50, waitTimeoutMs: 200 }));
    await expect(run).rejects.toThrow(/no data-plane role there after waiting/);
    await expect(run).rejects.toMatchObject({ hint: expect.stringContaining('Key Vault Secrets Officer') });
  });
});
