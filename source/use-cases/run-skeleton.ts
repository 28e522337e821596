/**
 * The one run every use case shares (docs/architecture.md, "The life of a run"):
 *
 *   preflight -> plan -> stop on anything blocked -> (plan / dry-run end here)
 *             -> the approval rule -> the use case's last question -> apply + verify each step
 *
 * Setup adds its in-cluster checks after; uninstall adds the typed vault name before apply.
 * `check` is the preflight and those in-cluster checks alone, without a plan.
 */
import { setMaxListeners } from 'node:events';
import { createAzureClients, type AzureClients, type AzureConnection } from '../azure/clients.js';
import { operatorIdentity, type OperatorIdentity } from '../azure/operator-identity.js';
import { mustConfirm, needsYesFlag } from '../kernel/approval.js';
import { CancelledError, UserError } from '../kernel/errors.js';
import type { EventSink } from '../kernel/events.js';
import { applyPlan, planSteps, type ApplyResult } from '../kernel/executor.js';
import { refuseBlocked, type Plan } from '../kernel/plan.js';
import type { SetupConfig } from '../config/setup-config.js';
import type { KubePort } from '../kube/port.js';
import type { SecretsRuntime } from '../secrets/runtime.js';
import type { BaseContext, Step } from '../steps/step-context.js';

export type RunMode = 'plan' | 'dry-run' | 'apply';

/** The Azure clients and the operator's identity over one connection. */
export function azurePorts(connection: AzureConnection): { azure: AzureClients; operator: OperatorIdentity } {
  return {
    azure: createAzureClients(connection),
    operator: operatorIdentity({
      credential: connection.credential,
      scope: `${connection.endpoint.replace(/\/+$/, '')}/.default`,
      ...(connection.operator ? { known: connection.operator } : {}),
    }),
  };
}

export interface BaseContextInput {
  config: SetupConfig;
  connection: AzureConnection;
  signal: AbortSignal;
  pollIntervalMs?: number;
  waitTimeoutMs?: number;
  kube?: KubePort;
  secrets?: SecretsRuntime;
}

export function buildBaseContext(options: BaseContextInput): BaseContext {
  // Every in-flight SDK call listens on the signal; with steps in parallel that passes Node's
  // default of 10 listeners, which is expected here, not a leak.
  setMaxListeners(1000, options.signal);
  return {
    config: options.config,
    ...azurePorts(options.connection),
    signal: options.signal,
    pollIntervalMs: options.pollIntervalMs ?? Math.max(options.connection.lroIntervalMs, 5),
    waitTimeoutMs: options.waitTimeoutMs ?? 5 * 60_000,
    ...(options.kube ? { kube: options.kube } : {}),
    ...(options.secrets ? { secrets: options.secrets } : {}),
  };
}

export interface SkeletonOptions {
  mode: RunMode;
  yes: boolean;
  hasTTY: boolean;
  emit: EventSink;
  steps: readonly Step[];
  base: BaseContext;
  concurrency: number;
  /** The one approval prompt (TTY only); resolves true to go ahead. */
  confirm?: ((plan: Plan) => Promise<boolean>) | undefined;
  /** Said when changes are pending and there's no terminal to approve them. */
  noTerminal: (plan: Plan) => { message: string; hint: string };
  /** Read-only checks before planning; a fatal one throws. */
  preflight?: () => Promise<void>;
  /** Sees the plan before anything is decided (uninstall's "kept" warnings). */
  afterPlan?: (plan: Plan) => void;
  /** The use case's last question after approval (uninstall's typed vault name). */
  beforeApply?: (plan: Plan) => Promise<void>;
}

export interface SkeletonOutcome {
  exitCode: 0 | 2;
  plan: Plan;
  applied?: ApplyResult;
}

export async function runSkeleton(options: SkeletonOptions): Promise<SkeletonOutcome> {
  const { steps, base } = options;
  const executor = { concurrency: options.concurrency, emit: options.emit };
  await options.preflight?.();
  const plan = await planSteps(steps, base, executor);
  options.afterPlan?.(plan);
  refuseBlocked(plan);
  if (options.mode === 'plan') return { exitCode: plan.isEmpty ? 0 : 2, plan };
  if (options.mode === 'dry-run') return { exitCode: 0, plan };

  const rule = { hasTTY: options.hasTTY, yes: options.yes, planIsEmpty: plan.isEmpty };
  if (needsYesFlag(rule)) {
    const { message, hint } = options.noTerminal(plan);
    throw new UserError(message, hint);
  }
  // Someone who reads the plan before approving takes time, in which the world may move: the
  // apply then reads everything again and refuses a plan that no longer holds.
  const asked = mustConfirm(rule) || options.beforeApply !== undefined;
  if (mustConfirm(rule)) {
    if (!options.confirm) throw new Error('The run needs a confirm callback when it may ask for approval.');
    if (!(await options.confirm(plan))) throw new CancelledError('Nothing was changed: the plan was not approved.', 1);
  }
  await options.beforeApply?.(plan);
  if (base.signal.aborted) throw new CancelledError();
  // The re-check must see the cluster as it is now, not what the port kept from the plan.
  if (asked) base.kube?.forgetReadings();
  const applied = await applyPlan(plan, steps, base, executor, { recheck: asked });
  return { exitCode: 0, plan, applied };
}
