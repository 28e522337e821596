/**
 * The check contract (checks are data, as in `linkerd check`; docs/architecture.md, "How to add a check"). A check is a plain
 * object in one ordered table; `run` only reads and returns an outcome plus the facts it
 * resolved, which later checks receive. Nothing is shared through mutable state.
 */
import type { AzureClients } from '../azure/clients.js';
import type { OperatorIdentity } from '../azure/operator-identity.js';
import type { Severity } from '../kernel/events.js';
import type { SetupConfig } from '../config/setup-config.js';
import type { FeathrChartValues } from '../kube/feathr-values.js';
import type { CsiDriverState, KubePort, ProbeResult, ToolVersions } from '../kube/port.js';
import type { SecretsRuntime } from '../secrets/runtime.js';
import type { SecretEntry } from '../secrets/secret-entry.js';
import type { DiagnosisCode } from './diagnose.js';
import type { VnetRef } from './fixes.js';

type CheckCategory =
  'tools' | 'azure' | 'permissions' | 'inputs' | 'network' | 'cluster' | 'identity' | 'connectivity' | 'mount';

/**
 * `preflight` runs before any change (every run); `installed` judges what an install left (after
 * a setup run and in `check`); `after-setup` judges what this very setup run wrote, so only a
 * setup run's verify has it (`check` doesn't know what a run migrated).
 */
type CheckPhase = 'preflight' | 'installed' | 'after-setup';

type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip';

/** What a check needs. Every field but config is optional: a missing port makes its checks skip. */
export interface CheckContext {
  config: SetupConfig;
  azure?: AzureClients;
  kube?: KubePort;
  operator?: OperatorIdentity;
  signal: AbortSignal;
  /** Probe image override for private registries. */
  probeImage?: string;
  /** Where the secret sources are read from (the preset's folder, the environment, typed values). */
  secrets?: SecretsRuntime;
  /** Bounded waits (role propagation) poll at this interval, up to waitTimeoutMs. */
  pollIntervalMs: number;
  waitTimeoutMs: number;
  /** A setup run's migrated values, read from their sources again (in memory only). */
  migratedSecrets?: () => Promise<readonly SecretEntry[]>;
}

/** Facts resolved by earlier checks. Never a secret value. */
export interface CheckFacts {
  tools?: ToolVersions;
  signedIn?: boolean;
  vault?: {
    id: string;
    resourceGroup: string;
    rbac: boolean;
    publicNetworkAccess?: string;
    defaultAction?: string;
    ipRules: string[];
  };
  aks?: { id: string; addonEnabled: boolean; addonClientId?: string; addonObjectId?: string; oidcIssuer?: string };
  aksVnet?: VnetRef & { id: string; addressPrefixes: string[] };
  endpointVnet?: VnetRef & { id: string; addressPrefixes: string[] };
  privateEndpoint?: { id: string; name: string; ip?: string; status?: string };
  clusterReachable?: boolean;
  csi?: CsiDriverState;
  /** The installed Feathr release's values: vault, identity and the secret mapping. */
  release?: { name: string; namespace: string; values: FeathrChartValues; spcName: string; serviceAccount: string };
  /** The identity the pods use, resolved to a principal for role checks. */
  podIdentity?: { clientId?: string; principalId?: string; roleAssigned?: boolean };
  probe?: ProbeResult;
  hostProbe?: ProbeResult;
  /** The per-node probes node-egress judges, when they ran in connectivity.probe's batch. */
  nodeProbes?: { nodes: string[]; outcomes: PromiseSettledResult<ProbeResult>[] };
}

export interface CheckOutcome {
  status: CheckStatus;
  /** What was found; for a failure the cause, present tense with the why. */
  message?: string;
  /** Why the check couldn't run (printed, never silent). */
  skipReason?: string;
  /** A fix specific to what was found; overrides the check's generic hint. */
  hint?: string;
  diagnosis?: DiagnosisCode;
  facts?: Partial<CheckFacts>;
}

export interface Check {
  id: string;
  category: CheckCategory;
  phase: CheckPhase;
  description: string;
  severity: Severity;
  /**
   * Judges what a setup run is about to do (the values it will write), not what exists:
   * part of every run's preflight, left out of `feathr-kv-setup check`.
   */
  setupOnly?: boolean;
  /** Runs the probe pod, which is created and deleted: a cluster write, so a run that changed nothing skips it. */
  needsProbe?: true;
  /** The exact fix when the check fails: a command or a setting. */
  hint: string | ((ctx: CheckContext, facts: CheckFacts) => string);
  run(ctx: CheckContext, facts: CheckFacts): Promise<CheckOutcome>;
}

/** One finished check, as the table and the `check.result` event show it. */
export interface CheckResult {
  id: string;
  category: CheckCategory;
  description: string;
  severity: Severity;
  status: CheckStatus;
  message?: string;
  hint?: string;
  diagnosis?: DiagnosisCode;
  ms: number;
}

export interface CheckReport {
  results: CheckResult[];
  facts: CheckFacts;
  /** False when a fatal check failed. */
  ok: boolean;
}

export const pass = (message?: string, facts?: Partial<CheckFacts>): CheckOutcome => ({
  status: 'pass',
  ...(message ? { message } : {}),
  ...(facts ? { facts } : {}),
});
export const fail = (message: string, extra: Omit<CheckOutcome, 'status' | 'message'> = {}): CheckOutcome => ({
  status: 'fail',
  message,
  ...extra,
});
export const skip = (skipReason: string): CheckOutcome => ({ status: 'skip', skipReason });
