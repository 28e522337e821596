/**
 * The setup use case on the shared run skeleton (run-skeleton.ts): build the context, plan,
 * decide on approval, apply, verify.
 * Commands call it with parsed options; it knows nothing of flags parsing, React or stdout.
 *
 *   plan     print the plan; exit 0 nothing to do, 2 changes pending (1 = error, thrown)
 *   dry-run  the same plan, exit 0; like plan, it makes no write request at all
 *   apply    plan -> approval rule -> stale check -> apply + verify -> in-cluster checks; exit 0 only
 *            when every step verified and no fatal in-cluster check failed
 *
 * Every mode starts with the local (preflight) checks, which only read; a fatal one stops the
 * run before planning. See setup-checks.ts for both check phases.
 */
import type { AzureConnection } from '../../azure/clients.js';
import { selectSteps } from '../../steps/index.js';
import { FEATHR_RELEASE_STEP } from '../../steps/feathr-release.js';
import type { CheckResult } from '../../checks/types.js';
import type { EventSink } from '../../kernel/events.js';
import type { ApplyResult } from '../../kernel/executor.js';
import { buildBaseContext, runSkeleton, type RunMode } from '../run-skeleton.js';
import type { Plan } from '../../kernel/plan.js';
import type { SetupConfig } from '../../config/setup-config.js';
import type { Step } from '../../steps/step-context.js';
import type { KubePort } from '../../kube/port.js';
import type { SecretsRuntime } from '../../secrets/runtime.js';
import { runPreflight, runVerifyPhase } from './setup-checks.js';

export type SetupMode = RunMode;

export interface RunSetupOptions {
  config: SetupConfig;
  mode: SetupMode;
  yes: boolean;
  hasTTY: boolean;
  signal: AbortSignal;
  emit: EventSink;
  connection: AzureConnection;
  /** Asked once, only when mustConfirm holds; resolves true to go ahead. */
  confirm?: (plan: Plan) => Promise<boolean>;
  /** How many steps (and so Azure operations) run at the same time. */
  concurrency?: number;
  /** Bounded waits: peering Connected and similar. */
  pollIntervalMs?: number;
  waitTimeoutMs?: number;
  /** The step table; tests pass their own. */
  steps?: readonly Step[];
  /** The cluster port (real kubectl/helm or the sandbox's), for the cluster-side steps. */
  kube?: KubePort;
  /** What the secret migration needs beyond the config. */
  secrets?: SecretsRuntime;
}

/** What the checks found (names and findings, never a value or a digest). */
interface SetupChecks {
  /** The preflight checks, run in every mode. */
  local: CheckResult[];
  /** The in-cluster checks after an apply that includes the Feathr release. */
  cluster?: CheckResult[];
}

export interface SetupOutcome {
  exitCode: 0 | 2;
  plan: Plan;
  applied?: ApplyResult;
  checks: SetupChecks;
}

export async function runSetup(options: RunSetupOptions): Promise<SetupOutcome> {
  const steps = options.steps ?? selectSteps(options.config);
  const base = buildBaseContext(options);
  let checks: SetupChecks = { local: [] };
  const outcome = await runSkeleton({
    ...options,
    steps,
    base,
    concurrency: options.concurrency ?? 8,
    preflight: async () => void (checks = { local: (await runPreflight(base, options.emit)).results }),
    noTerminal: (plan) => ({
      message: `The plan has ${plan.changes} change${plan.changes === 1 ? '' : 's'}, and there's no terminal to approve them: nothing was changed.`,
      hint: 'Add --yes to apply the plan without a prompt, or run `feathr-kv-setup plan` to review it first.',
    }),
  });
  const { plan, applied } = outcome;
  // Only a run that installs Feathr has something in the cluster to check. With nothing
  // changed the probe pod stays off, so a re-run writes nothing to the cluster either.
  if (!applied || !base.kube || !steps.some((s) => s.id === FEATHR_RELEASE_STEP)) return { ...outcome, checks };
  const cluster = await runVerifyPhase(base, options.emit, { probe: !plan.isEmpty });
  return { exitCode: 0, plan, applied, checks: { ...checks, cluster: cluster.results } };
}
