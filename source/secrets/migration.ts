/**
 * The migration use case, shared by the step and the benchmark: collect and check the values,
 * decide the plane by probing, observe the vault, diff. Nothing here writes; see
 * migration-apply.ts. The prepared value holds secret values in memory: it is never
 * serialised, and the StepPlan built from it (migration-plan.ts) carries names only.
 */
import { setMaxListeners } from 'node:events';
import type { AzureClients } from '../azure/clients.js';
import { getVault, vaultId } from '../azure/vaults.js';
import { collectSecrets, type CollectDeps, type CollectedSecrets, type SecretsSettings } from './collect.js';
import { diffSecrets, type SecretDiff } from './diff.js';
import { createDataPlane, createSecretClient, type DataPlane } from './data-plane.js';
import { createManagementPlane, secretsManagementClient } from './management-plane.js';
import { createArmWritePacer } from './arm-write-pacer.js';
import type { VaultPlane } from './planes.js';
import { decidePlane, getUnusedSecretProbe, type PlaneDecision } from './reachability.js';
import { assertValuesAcceptable } from './validate-values.js';
import { DEFAULT_BACKOFF, systemClock, type BackoffPolicy, type Clock, type RetryOptions } from './writer.js';
import { openWrittenRecord, type WrittenRecord } from './written-record.js';

export interface MigrationTuning {
  /** Parallel writes; the vault's 300-per-10 s limit, not this, sets the pace. */
  concurrency: number;
  backoff: BackoffPolicy;
  clock: Clock;
}

const DEFAULT_TUNING: MigrationTuning = { concurrency: 16, backoff: DEFAULT_BACKOFF, clock: systemClock };

export interface MigrationEnv {
  azure: AzureClients;
  resourceGroup: string;
  vaultName: string;
  secrets: SecretsSettings;
  collect: CollectDeps;
  /** Where the local written-record lives (written-record.ts defaultStateDir). */
  stateDir: string;
  signal: AbortSignal;
  progress: (message: string) => void;
  pollIntervalMs: number;
  waitTimeoutMs: number;
  tuning?: Partial<MigrationTuning>;
  /** The operator's choice: a temporary firewall rule for its own address, to write over the data plane. */
  temporaryFirewallRule?: boolean;
  /** Registers cleanup that runs even when the run stops half-way (the temporary rule). */
  addFinalizer?: (finalizer: { name: string; run: () => Promise<void> }) => void;
}

export interface PreparedMigration {
  collected: CollectedSecrets;
  /** Absent when the vault doesn't exist yet (planning before the vault step ran). */
  vault?: { decision: PlaneDecision; plane: VaultPlane; dataPlane?: DataPlane; diff: SecretDiff };
  record: WrittenRecord;
  retry: RetryOptions & { concurrency: number };
  /** The operator's address a temporary firewall rule will let through (temporaryFirewallRule chosen, firewall in the way). */
  temporaryRule?: string;
}

/**
 * `waitForRole`: wait out a propagating RBAC role (apply, verify) or just report it (plan).
 * `forWriting`: only the apply may create the local record file; plan and verify only read.
 */
export async function prepareMigration(
  env: MigrationEnv,
  options: { waitForRole: boolean; forWriting?: boolean },
): Promise<PreparedMigration> {
  const tuning = { ...DEFAULT_TUNING, ...env.tuning };
  const retry = { policy: tuning.backoff, clock: tuning.clock, signal: env.signal, concurrency: tuning.concurrency };
  // Every SDK call in flight (writes and read-backs) listens on the run's signal.
  setMaxListeners(Math.max(64, tuning.concurrency * 4), env.signal);
  // Every refusal (collision, empty, too large) comes before any Azure call.
  const collected = await collectSecrets(env.secrets, env.collect);
  assertValuesAcceptable(collected.entries);
  const record = await openWrittenRecord({
    stateDir: env.stateDir,
    vaultKey: recordKey(env),
    readOnly: !options.forWriting,
  });

  const vault = await getVault({ azure: env.azure, signal: env.signal }, env.resourceGroup, env.vaultName);
  const vaultUrl = vault?.properties?.vaultUri;
  if (!vault || !vaultUrl) return { collected, record, retry };

  const client = createSecretClient({
    vaultUrl,
    credential: env.azure.connection.credential,
    tlsOptions: env.azure.connection.tlsOptions,
  });
  const dataPlane = createDataPlane(client);
  const decision = await decidePlane(getUnusedSecretProbe(client), {
    ...retry,
    vaultName: env.vaultName,
    waitForRole: options.waitForRole,
    pollIntervalMs: env.pollIntervalMs,
    waitTimeoutMs: env.waitTimeoutMs,
    progress: env.progress,
  });
  const useData = decision.plane === 'data' && !decision.awaitingRole;
  const plane: VaultPlane = useData
    ? dataPlane
    : createManagementPlane({
        client: secretsManagementClient(env.azure),
        resourceGroup: env.resourceGroup,
        vaultName: env.vaultName,
        pacer: createArmWritePacer(tuning.clock),
      });
  const observed = await plane.observe(
    collected.entries.map((e) => e.vaultName),
    retry,
  );
  const diff = diffSecrets(collected.entries, observed, record);
  const temporaryRule =
    env.temporaryFirewallRule && decision.plane === 'management' && decision.clientAddress
      ? decision.clientAddress
      : undefined;
  return {
    collected,
    record,
    retry,
    vault: { decision, plane, diff, ...(useData ? { dataPlane } : {}) },
    ...(temporaryRule ? { temporaryRule } : {}),
  };
}

/** Per endpoint + vault id, so a sandbox world and a real subscription never share entries. */
function recordKey(env: Pick<MigrationEnv, 'azure' | 'resourceGroup' | 'vaultName'>): string {
  return `${env.azure.connection.endpoint.replace(/\/+$/, '')}${vaultId(env.azure, env.resourceGroup, env.vaultName)}`;
}
