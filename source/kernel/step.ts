/**
 * The step contract (see docs/architecture.md, "How to add a step"): a plain object in one
 * ordered table. `plan` only reads, `apply` makes exactly the planned changes, `verify` reads
 * back. Steps never print, never read flags and never import the UI. The kernel knows only the
 * shape; what a step can reach (Azure, the cluster, the config) is the use case's context type.
 */
import type { PlanAction } from './events.js';

/** + create, ~ update, - remove (uninstall), = kept as is. */
type ChangeMark = '+' | '~' | '-' | '=';

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

/** What the executor gives every step besides the use case's own context. */
export interface RunContext {
  /** Aborts on Ctrl-C: pass it to every call so running calls stop cleanly. */
  signal: AbortSignal;
  /** Progress lines for the running step ("Waiting for peering aks-vnet-to-shared-vnet: Initiated"). */
  progress: (message: string) => void;
  /** Cleanup registered while applying (e.g. a temporary firewall rule); runs in reverse at the end. */
  addFinalizer: (finalizer: Finalizer) => void;
  /** The plan records which target it was made for. */
  config: { target: string };
}

/** A step against context C, selected for a run by a configuration of type Config. */
export interface Step<C, Config> {
  id: string;
  title: string;
  dependsOn: readonly string[];
  /** Whether this step belongs to a run with this configuration (topology, modes). */
  appliesTo: (config: Config) => boolean;
  plan: (ctx: C) => Promise<StepPlan>;
  apply: (ctx: C, planned: StepPlan) => Promise<void>;
  verify: (ctx: C) => Promise<string>;
}
