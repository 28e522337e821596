/**
 * The step contract (DESIGN §3): a plain object in one ordered table. `plan` only reads,
 * `apply` makes exactly the planned changes, `verify` reads back. Steps never print, never
 * read flags and never import the UI; they see a narrow slice of StepContext.
 */
import type { PlanAction } from './events.js';
import type { AzureClients } from '../azure/clients.js';
import type { OperatorIdentity } from '../azure/operator-identity.js';
import type { SetupConfig } from './setup-config.js';
import type { SecretsRuntime } from '../secrets/runtime.js';
import type { KubePort } from '../kube/port.js';

/** + create, ~ update, - remove (uninstall), = kept as is. */
export type ChangeMark = '+' | '~' | '-' | '=';

export interface Change {
  mark: ChangeMark;
  /** Human name of the resource, e.g. "vault feathr-kv-demo". */
  resource: string;
  field?: string;
  from?: string;
  to?: string;
  reason: string;
}

export interface StepPlan {
  /** 'delete' only in removal plans (uninstall). */
  action: PlanAction;
  changes: Change[];
  /**
   * A stamp of what plan read (an etag or a stable hash of the observed fields, never a
   * secret value). Re-read before apply: a different stamp means the plan is stale.
   */
  observed: string;
  blockedReason?: string;
  /** The fix for a blocked step. */
  hint?: string;
}

export type Finalizer = { name: string; run: () => Promise<void> };

export interface StepContext {
  config: SetupConfig;
  azure: AzureClients;
  operator: OperatorIdentity;
  /** Aborts on Ctrl-C: pass it to every SDK call so running calls stop cleanly. */
  signal: AbortSignal;
  /** Progress lines for the running step ("Waiting for peering aks-vnet-to-shared-vnet: Initiated"). */
  progress: (message: string) => void;
  /** Cleanup registered while applying (e.g. a temporary firewall rule); runs in reverse at the end. */
  addFinalizer: (finalizer: Finalizer) => void;
  /** Bounded waits (peering Connected, role propagation) poll at this interval. */
  pollIntervalMs: number;
  /** Upper bound for those waits. */
  waitTimeoutMs: number;
  /** What the secret migration needs beyond the config: the cluster port, state dir, prompted values (issue 5). */
  secrets?: SecretsRuntime;
  /** The cluster of this run (real kubectl/helm, or the sandbox's), bound to the confirmed kube context. */
  kube?: KubePort;
}

export interface Step<C = StepContext> {
  id: string;
  title: string;
  dependsOn: readonly string[];
  /** Whether this step belongs to a run with this configuration (topology, modes). */
  appliesTo: (config: SetupConfig) => boolean;
  plan: (ctx: C) => Promise<StepPlan>;
  apply: (ctx: C, planned: StepPlan) => Promise<void>;
  verify: (ctx: C) => Promise<string>;
}

/**
 * Steps are typed against the narrow context they use (`Pick<StepContext, ...>`), so a test
 * builds only that; the table holds them against the full context, which every Pick accepts.
 */
export function defineStep<K extends keyof StepContext>(step: Step<Pick<StepContext, K>>): Step<StepContext> {
  return step;
}
