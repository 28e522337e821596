/**
 * Acceptance for the secret migration against the in-process sandbox through the real SDKs: the big .env
 * migrates byte for byte, a second run writes nothing (data plane and, after lock-down, the
 * management plane), a firewall that excludes the operator sends writes over the management
 * plane and the plan says so, and refusals happen before any write.
 */
import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../source/kernel/errors.js';
import { applyMigration } from '../../source/secrets/migration-apply.js';
import { migrationStepPlan } from '../../source/secrets/migration-plan.js';
import { prepareMigration } from '../../source/secrets/migration.js';
import { assertEnvRoundTrip, envText, generatedValues } from './support/generate-env.js';
import { sandboxVault, type SandboxVault } from './support/sandbox-vault.js';

describe('migrating 508 secrets (values up to 24 KB) into a public vault, then locking it down', () => {
  let kv: SandboxVault;
  const values = generatedValues(500);
  let settings: { sources: { envFile: string }[] };

  beforeAll(async () => {
    // 508 sets overrun Key Vault's 300-per-10 s window, and on the real clock this file would
    // spend ten seconds waiting it out. The sandbox's clock runs ten times fast here, so the
    // window still throttles the run (the migration backs off and retries as it must) but
    // frees up in one real second. Waiting out the real window is migration-faults' subject.
    const started = Date.now();
    kv = await sandboxVault({ now: () => started + (Date.now() - started) * 10 });
    const text = envText(values);
    assertEnvRoundTrip(text, values);
    const file = join(kv.stateDir, 'feathr.env');
    await writeFile(file, text, { mode: 0o600 });
    settings = { sources: [{ envFile: file }] };
  });
  afterAll(async () => kv?.close());

  it('plans every secret as new over the data plane, names only', async () => {
    const plan = migrationStepPlan(await prepareMigration(kv.env(settings), { waitForRole: false }), kv.vaultName);
    expect(plan.action).toBe('create');
    expect(plan.changes.filter((c) => c.mark === '+')).toHaveLength(508);
    expect(plan.changes.find((c) => c.field === 'write path')?.to).toBe('data plane');
    const json = JSON.stringify(plan);
    for (const value of [...values.values()].slice(0, 20)) expect(json).not.toContain(value);
    // Planning writes nothing, not even the local record.
    await expect(stat(join(kv.stateDir, 'written-secrets.json'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(kv.writeAttemptsSince(0)).toBe(2); // the test's own vault PUT and role assignment
  });

  it('writes each value once and reads every one back byte for byte', async () => {
    const mark = kv.mark();
    const result = await applyMigration(kv.env(settings));
    expect(result).toMatchObject({ plane: 'data', written: 508, unchanged: 0 });
    expect(result.verify).toMatchObject({ method: 'data-plane read-back', checked: 508, mismatched: [], missing: [] });
    expect(kv.writesSince(mark)).toHaveLength(508);
    for (const [name, value] of values) {
      const vaultName = name.replaceAll('_', '-');
      expect(kv.versions(vaultName)).toBe(1);
      expect(kv.value(vaultName) === value).toBe(true);
    }
    const sample = kv.sandbox.state.vaultSecrets.get(kv.vaultName)!.get('conn-str')!.versions[0]!;
    expect(sample.tags).toEqual({ 'managed-by': 'feathr-kv-setup' });
    expect(sample.contentType).toBe('text/plain; charset=utf-8');
  });

  it('writes nothing on a second run over the data plane', async () => {
    const mark = kv.mark();
    const result = await applyMigration(kv.env(settings));
    expect(result).toMatchObject({ plane: 'data', written: 0, unchanged: 508 });
    expect(kv.writeAttemptsSince(mark)).toBe(0);
    expect(kv.versions('CONN-STR')).toBe(1);
  });

  it('after public access is disabled: management plane, still zero writes and no new version', async () => {
    await kv.setNetwork({ publicNetworkAccess: 'Disabled' });
    const prepared = await prepareMigration(kv.env(settings), { waitForRole: false });
    expect(prepared.vault?.decision.plane).toBe('management');
    const plan = migrationStepPlan(prepared, kv.vaultName);
    expect(plan.action).toBe('no-op');
    expect(plan.changes.find((c) => c.field === 'write path')?.reason).toContain('Public network access');

    const mark = kv.mark();
    const result = await applyMigration(kv.env(settings));
    expect(result).toMatchObject({ plane: 'management', written: 0, unchanged: 508 });
    expect(result.verify.method).toBe('management-plane version');
    expect(kv.writeAttemptsSince(mark)).toBe(0);
    expect(kv.versions('GEN-VAR-7')).toBe(1);
  });

  it('over the management plane, a changed value is written once and the rest stay', async () => {
    const changed = new Map(values);
    changed.set('GEN_VAR_3', 'a new value=with equals\nand a newline');
    const file = join(kv.stateDir, 'changed.env');
    await writeFile(file, envText(changed), { mode: 0o600 });
    const mark = kv.mark();
    const result = await applyMigration(kv.env({ sources: [{ envFile: file }] }));
    expect(result).toMatchObject({ plane: 'management', written: 1, unchanged: 507 });
    expect(kv.writesSince(mark)).toHaveLength(1);
    expect(kv.value('GEN-VAR-3')).toBe('a new value=with equals\nand a newline');
    expect(kv.versions('GEN-VAR-3')).toBe(2);
  });
});

describe('a vault whose firewall excludes the operator', () => {
  let kv: SandboxVault;
  beforeAll(async () => {
    kv = await sandboxVault({ vaultName: 'feathr-kv-fw' });
    await kv.setNetwork({ denyAllBut: ['52.14.20.1', '52.14.20.2'] });
  });
  afterAll(async () => kv?.close());

  it('migrates over the management plane, says so in the plan, adds no firewall rule, and a re-run writes nothing', async () => {
    const settings = { sources: [{ env: ['CONN_STR', 'FEATHRCI_PASS'] }] };
    const env = { CONN_STR: 'Server=fw;Key=a==', FEATHRCI_PASS: 'pässword\nline' };
    const plan = migrationStepPlan(
      await prepareMigration(kv.env(settings, { collect: { env } }), { waitForRole: false }),
      kv.vaultName,
    );
    const path = plan.changes.find((c) => c.field === 'write path');
    expect(path?.to).toBe('management plane');
    expect(path?.reason).toContain("doesn't allow the operator's address 203.0.113.7");
    expect(path?.reason).toContain('no firewall rule is added');

    const result = await applyMigration(kv.env(settings, { collect: { env } }));
    expect(result).toMatchObject({ plane: 'management', written: 2 });
    expect(kv.value('CONN-STR')).toBe(env.CONN_STR);
    expect(kv.value('FEATHRCI-PASS')).toBe(env.FEATHRCI_PASS);
    const vault = [...kv.sandbox.state.resources.values()].find((r) => r.name === 'feathr-kv-fw')!;
    expect(
      (vault.properties as { networkAcls: { ipRules: { value: string }[] } }).networkAcls.ipRules
        .map((r) => r.value)
        .sort(),
    ).toEqual(['52.14.20.1/32', '52.14.20.2/32']);

    const mark = kv.mark();
    expect(await applyMigration(kv.env(settings, { collect: { env } }))).toMatchObject({ written: 0, unchanged: 2 });
    expect(kv.writeAttemptsSince(mark)).toBe(0);
  });
});

describe('refusals before any write', () => {
  let kv: SandboxVault;
  beforeAll(async () => {
    kv = await sandboxVault();
  });
  afterAll(async () => kv?.close());

  it.each([
    { name: 'an empty value', env: { GOOD: 'fine', EMPTY_ONE: '' }, expected: 'EMPTY_ONE (from environment) is empty' },
    {
      name: 'a 26 KB value',
      env: { GOOD: 'fine', BIG_ONE: 'x'.repeat(26 * 1024) },
      expected: 'BIG_ONE (from environment) is larger than 25 KB',
    },
  ])('refuses $name and writes nothing', async ({ env, expected }) => {
    const mark = kv.mark();
    const run = applyMigration(kv.env({ sources: [{ env: Object.keys(env) }] }, { collect: { env } }));
    await expect(run).rejects.toBeInstanceOf(UserError);
    await expect(run).rejects.toThrow(expected);
    expect(kv.sandbox.state.requestLog.slice(mark)).toEqual([]);
  });

  it('stops on CONN_STR in the .env and conn_str in the Kubernetes Secret, naming both, before any request', async () => {
    const file = join(kv.stateDir, 'collide.env');
    await writeFile(file, 'CONN_STR=from-env\n');
    const kube = { context: 'feathr-aks', readSecret: async () => ({ conn_str: 'from-k8s' }) };
    const mark = kv.mark();
    const run = applyMigration(
      kv.env(
        { sources: [{ envFile: file }, { kubernetesSecret: { namespace: 'legacy', name: 'feathr-online-secret' } }] },
        { collect: { kube } },
      ),
    );
    const error = (await run.catch((e: unknown) => e)) as UserError;
    const text = [error.message, ...error.details].join('\n');
    expect(text).toContain(`CONN_STR → CONN-STR (from .env ${file})`);
    expect(text).toContain('conn_str → conn-str (from Kubernetes Secret legacy/feathr-online-secret)');
    expect(kv.sandbox.state.requestLog.slice(mark)).toEqual([]);
  });
});
