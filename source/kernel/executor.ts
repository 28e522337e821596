/**
 * Runs the step table: planning (reads only, in parallel), the stale-plan check, and apply +
 * verify as a DAG with bounded concurrency. Emits step.* events; never prints.
 */
import pLimit from 'p-limit';
import { runDag } from './dag.js';
import { CancelledError, UserError } from './errors.js';
import type { EventSink } from './events.js';
import { makePlan, refuseBlocked, summarizeStepPlan, type Plan, type PlannedStep } from './plan.js';
import type { Finalizer, RunContext, Step } from './step.js';

/** What every step shares; progress and finalizers are bound per step by the executor. */
export type BaseContext<C extends RunContext = RunContext> = Omit<C, 'progress' | 'addFinalizer'>;

/** Any step of a table whose context is C; the table's selection config doesn't matter here. */
type AnyStep<C> = Step<C, any>;

export interface ExecutorOptions {
  concurrency: number;
  emit: EventSink;
}

export interface StepTiming {
  stepId: string;
  dependsOn: readonly string[];
  startedAt: number;
  endedAt: number;
  applied: boolean;
}

export interface ApplyResult {
  timings: StepTiming[];
  verified: { stepId: string; summary: string }[];
  finalizerErrors: string[];
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function contextFor<C extends RunContext>(
  base: BaseContext<C>,
  step: AnyStep<C>,
  emit: EventSink,
  finalizers: Finalizer[],
): C {
  return {
    ...base,
    progress: (message) => emit({ type: 'step.progress', stepId: step.id, message }),
    addFinalizer: (f) => void finalizers.push(f),
  } as C;
}

async function planAll<C extends RunContext>(
  steps: readonly AnyStep<C>[],
  base: BaseContext<C>,
  options: ExecutorOptions,
  announce: boolean,
): Promise<PlannedStep[]> {
  const limit = pLimit(Math.max(1, options.concurrency));
  // Planning only reads, so every step plans at once; nothing registers a finalizer here.
  const unused: Finalizer[] = [];
  // step.planned goes out in the table's order (each as soon as every step before it is
  // planned), so the plan reads the same on every run however the reads race.
  const done: (PlannedStep | undefined)[] = steps.map(() => undefined);
  let next = 0;
  const release = () => {
    for (; next < steps.length && done[next]; next++) {
      const planned = done[next]!;
      if (announce)
        options.emit({
          type: 'step.planned',
          stepId: planned.stepId,
          title: planned.title,
          action: planned.action,
          summary: summarizeStepPlan(planned),
        });
    }
  };
  return Promise.all(
    steps.map((step, index) =>
      limit(async () => {
        if (base.signal.aborted) throw new CancelledError();
        try {
          const planned = await step.plan(contextFor(base, step, options.emit, unused));
          const result = { ...planned, stepId: step.id, title: step.title, dependsOn: step.dependsOn };
          done[index] = result;
          release();
          return result;
        } catch (error) {
          if (base.signal.aborted) throw new CancelledError();
          options.emit({
            type: 'step.failed',
            stepId: step.id,
            title: step.title,
            error: `Planning failed: ${errorText(error)}`,
            ...(error instanceof UserError && error.hint ? { hint: error.hint } : {}),
          });
          throw error;
        }
      }),
    ),
  );
}

export async function planSteps<C extends RunContext>(
  steps: readonly AnyStep<C>[],
  base: BaseContext<C>,
  options: ExecutorOptions,
): Promise<Plan> {
  const planned = await planAll(steps, base, options, true);
  const plan = makePlan(base.config.target, planned);
  options.emit({ type: 'plan.ready', plan, changes: plan.changes });
  return plan;
}

/** Re-reads every step and refuses when what it observed changed since planning. */
async function assertPlanFresh<C extends RunContext>(
  plan: Plan,
  steps: readonly AnyStep<C>[],
  base: BaseContext<C>,
  options: ExecutorOptions,
): Promise<void> {
  const fresh = await planAll(steps, base, { ...options, emit: () => {} }, false);
  for (const now of fresh) {
    const then = plan.steps.find((s) => s.stepId === now.stepId);
    if (!then || then.observed !== now.observed) {
      throw new UserError(
        `The plan is stale: ${now.stepId} changed since it was planned. Run plan again.`,
        'Run `feathr-kv-setup plan` and review the new plan.',
      );
    }
  }
}

export async function applyPlan<C extends RunContext>(
  plan: Plan,
  steps: readonly AnyStep<C>[],
  base: BaseContext<C>,
  options: ExecutorOptions,
  /**
   * Whether to read everything again and refuse a plan the world has moved away from: needed
   * when time passed between planning and applying (someone read the plan and approved it);
   * a plan applied the moment it was made (`--yes`) would only be read twice in a row.
   */
  { recheck = true }: { recheck?: boolean } = {},
): Promise<ApplyResult> {
  refuseBlocked(plan);
  if (recheck) await assertPlanFresh(plan, steps, base, options);
  const finalizers: Finalizer[] = [];
  const timings: StepTiming[] = [];
  const verified: ApplyResult['verified'] = [];
  const byId = new Map(plan.steps.map((s) => [s.stepId, s]));
  let failed: unknown;
  try {
    await runDag(
      steps,
      async (step) => {
        const planned = byId.get(step.id);
        if (!planned) throw new Error(`Step ${step.id} is not in the plan.`);
        const ctx = contextFor(base, step, options.emit, finalizers);
        const startedAt = performance.now();
        options.emit({ type: 'step.started', stepId: step.id, title: step.title });
        try {
          // A no-op step makes no request that writes; it is still verified by a read.
          if (planned.action !== 'no-op') await step.apply(ctx, planned);
          const summary = await step.verify(ctx);
          const endedAt = performance.now();
          timings.push({
            stepId: step.id,
            dependsOn: step.dependsOn,
            startedAt,
            endedAt,
            applied: planned.action !== 'no-op',
          });
          verified.push({ stepId: step.id, summary });
          options.emit({
            type: 'step.done',
            stepId: step.id,
            title: step.title,
            summary,
            ms: Math.round(endedAt - startedAt),
          });
        } catch (error) {
          const cancelled = base.signal.aborted || error instanceof CancelledError;
          options.emit({
            type: 'step.failed',
            stepId: step.id,
            title: step.title,
            error: cancelled ? 'Cancelled.' : errorText(error),
            ...(error instanceof UserError && error.hint ? { hint: error.hint } : {}),
          });
          throw cancelled ? new CancelledError() : error;
        }
      },
      { concurrency: options.concurrency, signal: base.signal },
    );
  } catch (error) {
    failed = error;
  }
  const finalizerErrors = await runFinalizers(finalizers, options.emit);
  if (failed) throw failed;
  return { timings, verified, finalizerErrors };
}

/** Reverse order of registration (cilium): the last thing set up is the first torn down. */
async function runFinalizers(finalizers: readonly Finalizer[], emit: EventSink): Promise<string[]> {
  const errors: string[] = [];
  for (const f of [...finalizers].reverse()) {
    try {
      await f.run();
    } catch (error) {
      const message = `Cleanup "${f.name}" failed: ${errorText(error)}`;
      errors.push(message);
      emit({ type: 'log', level: 'warn', message });
    }
  }
  return errors;
}
