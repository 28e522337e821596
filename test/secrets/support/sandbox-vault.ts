/**
 * An in-process sandbox with one vault the operator can write to (Key Vault Secrets Officer),
 * reached through the real SDK clients. Tests drive the migration against it and read the
 * sandbox's own request log and secret store to count writes and versions.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAzureClients, type AzureClients } from '../../../source/azure/clients.js';
import { assignRole, ROLE } from '../../../source/azure/roles.js';
import { patchVault, putVault, vaultId } from '../../../source/azure/vaults.js';
import { connectSandbox } from '../../../source/connect/sandbox-client.js';
import { startSandbox, type RunningSandbox, type StartSandboxOptions } from '../../../source/sandbox/start.js';
import type { MigrationEnv } from '../../../source/secrets/migration.js';
import type { SecretsSettings } from '../../../source/secrets/collect.js';

export const RG = 'feathr-rg';

export interface SandboxVault {
  sandbox: RunningSandbox;
  azure: AzureClients;
  vaultName: string;
  stateDir: string;
  /** Accepted secret writes (data plane and ARM vaults/secrets) logged since `mark()`; throttled ones aren't writes. */
  writesSince(mark: number): { method: string; path: string; plane: string }[];
  /** Every write attempt (any status) since `mark()`. */
  writeAttemptsSince(mark: number): number;
  mark(): number;
  versions(secretName: string): number;
  value(secretName: string): string | undefined;
  setNetwork(network: { publicNetworkAccess?: 'Enabled' | 'Disabled'; denyAllBut?: string[] }): Promise<void>;
  env(secrets: SecretsSettings, extra?: Partial<MigrationEnv>): MigrationEnv;
  close(): Promise<void>;
}

export async function sandboxVault(options: StartSandboxOptions & { vaultName?: string } = {}): Promise<SandboxVault> {
  const sandbox = await startSandbox({ rbacPropagationSeconds: 0, seed: 7, ...options });
  const connection = await connectSandbox({ url: sandbox.url, caPem: sandbox.caPem });
  const azure = createAzureClients({
    endpoint: connection.url,
    credential: connection.credential,
    tlsOptions: connection.tlsOptions,
    subscriptionId: connection.subscriptionId,
    tenantId: connection.tenantId,
    lroIntervalMs: 1,
    retry: { maxRetries: 4, retryDelayInMs: 5, maxRetryDelayInMs: 20 },
  });
  const vaultName = options.vaultName ?? 'feathr-kv-test';
  const ctx = { azure, signal: new AbortController().signal };
  await putVault(
    ctx,
    RG,
    vaultName,
    'eastus',
    {},
    {
      tenantId: connection.tenantId,
      sku: { family: 'A', name: 'standard' },
      enableRbacAuthorization: true,
      publicNetworkAccess: 'Enabled',
    },
  );
  await assignRole(ctx, vaultId(azure, RG, vaultName), sandbox.state.operatorId, ROLE.keyVaultSecretsOfficer, 'User');
  const stateDir = await mkdtemp(join(tmpdir(), 'kv-migrate-state-'));
  const record = (name: string) => sandbox.state.vaultSecrets.get(vaultName.toLowerCase())?.get(name.toLowerCase());

  return {
    sandbox,
    azure,
    vaultName,
    stateDir,
    mark: () => sandbox.state.requestLog.length,
    writesSince: (mark) =>
      sandbox.state.requestLog
        .slice(mark)
        .filter(
          (r) => r.write && r.status < 300 && (r.plane === 'dataplane' || /\/vaults\/[^/]+\/secrets\//i.test(r.path)),
        )
        .map((r) => ({ method: r.method, path: r.path, plane: r.plane })),
    writeAttemptsSince: (mark) => sandbox.state.requestLog.slice(mark).filter((r) => r.write).length,
    versions: (name) => record(name)?.versions.length ?? 0,
    value: (name) => record(name)?.versions.at(-1)?.value,
    async setNetwork(network) {
      await patchVault(
        ctx,
        RG,
        vaultName,
        {
          ...(network.publicNetworkAccess ? { publicNetworkAccess: network.publicNetworkAccess } : {}),
          ...(network.denyAllBut
            ? {
                networkAcls: {
                  defaultAction: 'Deny',
                  bypass: 'None',
                  ipRules: network.denyAllBut.map((value) => ({ value })),
                },
              }
            : {}),
        },
        'network',
      );
    },
    env: (secrets, extra = {}) => ({
      azure,
      resourceGroup: RG,
      vaultName,
      secrets,
      collect: {},
      stateDir,
      signal: new AbortController().signal,
      progress: () => undefined,
      pollIntervalMs: 5,
      waitTimeoutMs: 2000,
      tuning: { concurrency: 16, backoff: { baseMs: 20, capMs: 1000, maxAttempts: 8, throttleBudgetMs: 60_000 } },
      ...extra,
    }),
    async close() {
      await sandbox.close();
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}
