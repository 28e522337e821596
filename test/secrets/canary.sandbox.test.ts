/**
 * No leak: run the migration step (plan → apply → verify, then a refused run) with distinctive
 * canary values and look for them in everything the tool printed, emitted, threw or left on
 * disk, and in the sandbox's request log. The migration starts no child process; the
 * Kubernetes source is read through the port (whose real adapter keeps values off argv).
 */
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SetupConfig } from '../../source/config/setup-config.js';
import { migrateSecretsStep } from '../../source/steps/migrate-secrets.js';
import type { StepContext } from '../../source/steps/step-context.js';
import { RG, sandboxVault, type SandboxVault } from './support/sandbox-vault.js';

const CANARY = 'CANARY-9c1e7d';
const canaries = {
  CONN_STR: `${CANARY}-conn=Server=x;Password=${CANARY}-pw`,
  FEATHRCI_PASS: `${CANARY}-feathrci`,
  COSMOS_API_KEY: `${CANARY}-cosmos-ключ🙂\n${CANARY}-line2`,
};

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else out.push(path);
  }
  return out;
}

describe('canary: no value anywhere', () => {
  let kv: SandboxVault;
  const seen: string[] = [];
  const written: string[] = [];
  let restore: () => void;

  beforeAll(async () => {
    kv = await sandboxVault({ vaultName: 'feathr-kv-canary' });
    // Capture the process's own output for the whole run (the tool must print nothing itself).
    const out = process.stdout.write.bind(process.stdout);
    const err = process.stderr.write.bind(process.stderr);
    process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => (
      written.push(String(chunk)),
      out(chunk as string, ...(rest as []))
    )) as typeof process.stdout.write;
    process.stderr.write = ((chunk: unknown, ...rest: unknown[]) => (
      written.push(String(chunk)),
      err(chunk as string, ...(rest as []))
    )) as typeof process.stderr.write;
    restore = () => {
      process.stdout.write = out;
      process.stderr.write = err;
    };
  });
  afterAll(async () => {
    restore?.();
    await kv?.close();
  });

  function context(
    config: SetupConfig,
    kube: { context: string; readSecret: () => Promise<Record<string, string>> },
  ): Pick<
    StepContext,
    'config' | 'azure' | 'signal' | 'progress' | 'pollIntervalMs' | 'waitTimeoutMs' | 'secrets' | 'kube'
  > {
    return {
      config,
      azure: kv.azure,
      signal: new AbortController().signal,
      progress: (m) => void seen.push(m),
      pollIntervalMs: 5,
      waitTimeoutMs: 2000,
      secrets: {
        kube,
        stateDir: kv.stateDir,
        baseDir: kv.stateDir,
        tuning: { backoff: { baseMs: 10, capMs: 200, maxAttempts: 8, throttleBudgetMs: 60_000 } },
      },
    };
  }

  it('plans, applies, verifies, re-runs and refuses without a canary in any output, error or file', async () => {
    await writeFile(
      join(kv.stateDir, 'feathr.env'),
      `CONN_STR="${canaries.CONN_STR}"\nFEATHRCI_PASS=${canaries.FEATHRCI_PASS}\n`,
      { mode: 0o600 },
    );
    const kube = { context: 'feathr-aks', readSecret: async () => ({ COSMOS_API_KEY: canaries.COSMOS_API_KEY }) };
    const config: SetupConfig = {
      target: 'azure',
      azure: { subscriptionId: kv.sandbox.subscriptionId, resourceGroup: RG, location: 'eastus' },
      vault: { name: kv.vaultName },
      secrets: {
        sources: [
          { envFile: 'feathr.env' },
          { kubernetesSecret: { namespace: 'legacy', name: 'feathr-online-secret' } },
        ],
      },
    };
    const ctx = context(config, kube);
    const plan = await migrateSecretsStep.plan(ctx as StepContext);
    seen.push(JSON.stringify(plan));
    await migrateSecretsStep.apply(ctx as StepContext, plan);
    seen.push(await migrateSecretsStep.verify(ctx as StepContext));
    await kv.setNetwork({ publicNetworkAccess: 'Disabled' });
    seen.push(JSON.stringify(await migrateSecretsStep.plan(ctx as StepContext)));
    seen.push(await migrateSecretsStep.verify(ctx as StepContext));
    for (const name of ['CONN-STR', 'FEATHRCI-PASS', 'COSMOS-API-KEY']) expect(kv.versions(name)).toBe(1);

    // A refused run (26 KB canary) and a collision: their errors must not carry values either.
    const bad = context({ ...config, secrets: { sources: [{ env: ['BIG'] }, { envFile: 'feathr.env' }] } }, kube);
    bad.secrets = { ...bad.secrets, env: { BIG: `${CANARY}-big-${'y'.repeat(26 * 1024)}` } };
    const refused = await migrateSecretsStep.plan(bad as StepContext).catch((e: unknown) => e);
    const colliding = context(config, {
      context: 'feathr-aks',
      readSecret: async () => ({ conn_str: `${CANARY}-other` }),
    });
    const collided = await migrateSecretsStep.plan(colliding as StepContext).catch((e: unknown) => e);
    for (const error of [refused, collided]) {
      expect(error).toBeInstanceOf(Error);
      seen.push(inspect(error, { depth: 5 }), JSON.stringify(error), String((error as Error).stack));
    }
    expect(String((collided as Error).message)).toContain('collide');

    const files = await filesUnder(kv.stateDir);
    const onDisk = await Promise.all(files.filter((f) => !f.endsWith('feathr.env')).map((f) => readFile(f, 'utf8')));
    expect(files.some((f) => f.endsWith('written-secrets.json'))).toBe(true);
    for (const f of files.filter((f) => f.endsWith('written-secrets.json')))
      expect((await stat(f)).mode & 0o777).toBe(0o600);
    const requestLog = JSON.stringify(kv.sandbox.state.requestLog);

    const haystack = [...seen, ...written, ...onDisk, requestLog].join('\n');
    expect(haystack).toContain('Secrets verified: 3');
    expect(haystack).not.toContain(CANARY);
  });
});
