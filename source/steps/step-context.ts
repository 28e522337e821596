/**
 * What a setup or removal step can reach: the config, Azure, the operator, the cluster and the
 * secret migration's runtime. The kernel's Step is generic; this is its context for our steps.
 */
import type { Step as KernelStep } from '../kernel/step.js';
import type { BaseContext as KernelBaseContext } from '../kernel/executor.js';
import type { AzureClients } from '../azure/clients.js';
import type { OperatorIdentity } from '../azure/operator-identity.js';
import type { SetupConfig } from '../config/setup-config.js';
import type { SecretsRuntime } from '../secrets/runtime.js';
import type { KubePort } from '../kube/port.js';
import type { RunContext } from '../kernel/step.js';

export interface StepContext extends RunContext {
  config: SetupConfig;
  azure: AzureClients;
  operator: OperatorIdentity;
  /** Bounded waits (peering Connected, role propagation) poll at this interval. */
  pollIntervalMs: number;
  /** Upper bound for those waits. */
  waitTimeoutMs: number;
  /** What the secret migration needs beyond the config: the cluster port, state dir, prompted values. */
  secrets?: SecretsRuntime;
  /** The cluster of this run (real kubectl/helm, or the sandbox's), bound to the confirmed kube context. */
  kube?: KubePort;
}

/** A step of our tables: typed against the context it uses, selected by the preset. */
export type Step<C = StepContext> = KernelStep<C, SetupConfig>;

/**
 * Steps are typed against the narrow context they use (`Pick<StepContext, ...>`), so a test
 * builds only that; the table holds them against the full context, which every Pick accepts.
 */
export function defineStep<K extends keyof StepContext>(step: Step<Pick<StepContext, K>>): Step<StepContext> {
  return step;
}

/** What every step of a run shares; the executor binds progress and finalizers per step. */
export type BaseContext = KernelBaseContext<StepContext>;
