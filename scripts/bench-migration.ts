/**
 * Benchmark for the secret migration: 1,000 new secrets into one vault of the in-process sandbox, whose
 * data plane enforces Key Vault's real limit (300 secret sets per 10 s, 429 without
 * Retry-After). The limit allows 1000 / 300 × 10 s ≈ 33.3 s; the migration (probe, diff,
 * writes, read-back verification) must take at most 1.2× that. A second run injects 30 %
 * 429s and 5 % 500s and must still finish with every value correct and one version each.
 *
 *   npx tsx scripts/bench-migration.ts [--count 1000]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAzureClients } from '../source/azure/clients.js';
import { assignRole, ROLE } from '../source/azure/roles.js';
import { putVault, vaultId } from '../source/azure/vaults.js';
import { connectSandbox } from '../source/connect/sandbox-client.js';
import { startSandbox } from '../source/sandbox/start.js';
import { SECRET_SET_LIMIT, THROTTLE_WINDOW_MS } from '../source/sandbox/keyvault/throttle.js';
import { applyMigration } from '../source/secrets/migration-apply.js';
import { throttleMinimumMs } from './bench-migration-cli.js';

const countFlag = process.argv.indexOf('--count');
const COUNT = countFlag > 0 ? Number(process.argv[countFlag + 1]) : 1000;
const VAULT = 'feathr-kv-bench';

function secretValues(count: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < count; i += 1) out[`BENCH_SECRET_${i}`] = `bench-${i}=ü;${'v'.repeat(64 + (i % 512))}\nend`;
  return out;
}

async function run(
  label: string,
  faults: string | undefined,
): Promise<{ seconds: number; throttled: number; ok: boolean; withinLimit: boolean }> {
  const sandbox = await startSandbox({ rbacPropagationSeconds: 0, seed: 42, ...(faults ? { faults } : {}) });
  const stateDir = await mkdtemp(join(tmpdir(), 'kv-bench-'));
  try {
    const connection = await connectSandbox({ url: sandbox.url, caPem: sandbox.caPem });
    const azure = createAzureClients({
      endpoint: connection.url,
      credential: connection.credential,
      tlsOptions: connection.tlsOptions,
      subscriptionId: connection.subscriptionId,
      tenantId: connection.tenantId,
      lroIntervalMs: 5,
      retry: { maxRetries: 4, retryDelayInMs: 10, maxRetryDelayInMs: 100 },
    });
    const ctx = { azure, signal: new AbortController().signal };
    await putVault(
      ctx,
      'feathr-rg',
      VAULT,
      'eastus',
      {},
      {
        tenantId: connection.tenantId,
        sku: { family: 'A', name: 'standard' },
        enableRbacAuthorization: true,
        publicNetworkAccess: 'Enabled',
      },
    );
    await assignRole(
      ctx,
      vaultId(azure, 'feathr-rg', VAULT),
      sandbox.state.operatorId,
      ROLE.keyVaultSecretsOfficer,
      'User',
    );

    const values = secretValues(COUNT);
    const started = performance.now();
    const result = await applyMigration({
      azure,
      resourceGroup: 'feathr-rg',
      vaultName: VAULT,
      secrets: { sources: [{ env: Object.keys(values) }] },
      collect: { env: values },
      stateDir,
      signal: new AbortController().signal,
      progress: () => undefined,
      pollIntervalMs: 100,
      waitTimeoutMs: 10_000,
    });
    const seconds = (performance.now() - started) / 1000;

    const store = sandbox.state.vaultSecrets.get(VAULT)!;
    let correct = 0;
    for (const [env, value] of Object.entries(values)) {
      const record = store.get(env.replaceAll('_', '-').toLowerCase());
      if (record && record.versions.length === 1 && record.versions[0]!.value === value) correct += 1;
    }
    const answers = sandbox.state.requestLog.filter((r) => r.plane === 'dataplane');
    const count = (status: number) => answers.filter((r) => r.status === status).length;
    const limitSeconds = (COUNT / SECRET_SET_LIMIT) * (THROTTLE_WINDOW_MS / 1000);
    console.log(
      `${label}: ${COUNT} secrets in ${seconds.toFixed(1)} s = ${(COUNT / seconds).toFixed(1)} secrets/s; ` +
        `ratio to the limit (${limitSeconds.toFixed(1)} s) ${(seconds / limitSeconds).toFixed(2)}×; ` +
        `written ${result.written}, verified ${result.verify.checked} (${result.verify.method}), correct with one version ${correct}/${COUNT}; ` +
        `data-plane answers: ${answers.length} (429: ${count(429)}, 500: ${count(500)})`,
    );
    // Faster than the window allows means the throttle (or its clock) was bypassed: no figure then.
    const belowLimit = seconds * 1000 < throttleMinimumMs('data', COUNT);
    if (belowLimit)
      console.log(
        `${label}: faster than Key Vault's limit allows (${(throttleMinimumMs('data', COUNT) / 1000).toFixed(1)} s at least): the throttle was bypassed`,
      );
    return {
      seconds,
      throttled: result.throttled,
      ok: correct === COUNT && !belowLimit,
      withinLimit: seconds / limitSeconds <= 1.2,
    };
  } finally {
    await sandbox.close();
    await rm(stateDir, { recursive: true, force: true });
  }
}

const clean = await run('real throttle', undefined);
const faulty = await run('real throttle + 30 % 429 + 5 % 500', 'dataplane:429-no-retry-after@0.3,dataplane:500@0.05');
// The 1.2× bound is for the clean run; with faults the run must complete with every value correct.
const pass = clean.ok && clean.withinLimit && faulty.ok;
console.log(pass ? 'PASS: clean run within 1.2× of the limit; both runs complete with every value correct' : 'FAIL');
process.exitCode = pass ? 0 : 1;
