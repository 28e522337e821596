/**
 * The Ink tree is a reducer over engine events ("the runner emits events; the UI
 * folds them"). This file is that reducer: pure, no React, so it is tested on its own and
 * every screen reads the same folded view. Time comes in with the event, never from a clock
 * read inside the reducer, so a replay gives the same view.
 */
import type { EngineEvent, PlanAction, Severity } from '../kernel/events.js';

type StepStatus = 'planned' | 'running' | 'done' | 'failed';

export interface StepView {
  id: string;
  title: string;
  action?: PlanAction;
  /** What the plan said it would do (no secret values: events never carry them). */
  planSummary?: string;
  status: StepStatus;
  startedAt?: number;
  ms?: number;
  /** The latest progress line, and the migration counter when the step reports one. */
  message?: string;
  done?: number;
  total?: number;
  /** What step.done said happened ("Vault created"). */
  summary?: string;
  error?: string;
  hint?: string;
}

export interface CheckRow {
  category: string;
  id: string;
  description: string;
  status: 'pass' | 'fail' | 'warn' | 'skip';
  severity: Severity;
  message?: string;
  hint?: string;
}

type RunPhase = 'idle' | 'planning' | 'planned' | 'applying' | 'finished';

type ResultEvent = Extract<EngineEvent, { type: 'result' }>;

export interface RunView {
  phase: RunPhase;
  /** In the order the engine first named them, so the list does not jump around. */
  steps: StepView[];
  /** Ids of steps that finished (done or failed), in finishing order: what <Static> prints. */
  finished: string[];
  plan?: unknown;
  changes?: number;
  checks: CheckRow[];
  logs: { level: 'info' | 'warn'; message: string }[];
  result?: ResultEvent;
}

export const initialRunView: RunView = { phase: 'idle', steps: [], finished: [], checks: [], logs: [] };

/** An event and the moment the UI received it (ms), so durations of running steps can be shown. */
export interface TimedEvent {
  event: EngineEvent;
  at: number;
}

function upsertStep(steps: StepView[], id: string, patch: Partial<StepView> & { title?: string }): StepView[] {
  const index = steps.findIndex((s) => s.id === id);
  if (index === -1) return [...steps, { id, title: patch.title ?? id, status: 'planned', ...patch }];
  const next = steps.slice();
  next[index] = { ...steps[index]!, ...patch };
  return next;
}

function markFinished(finished: string[], id: string): string[] {
  return finished.includes(id) ? finished : [...finished, id];
}

/** A step that ended, done or failed: its row updated, and its id among the finished ones. */
function endStep(view: RunView, id: string, patch: Partial<StepView> & { title?: string }): RunView {
  return { ...view, steps: upsertStep(view.steps, id, patch), finished: markFinished(view.finished, id) };
}

export function foldEvent(view: RunView, { event, at }: TimedEvent): RunView {
  switch (event.type) {
    case 'run.started':
      return { ...view, phase: 'planning' };
    case 'step.planned':
      return {
        ...view,
        steps: upsertStep(view.steps, event.stepId, {
          title: event.title,
          action: event.action,
          planSummary: event.summary,
        }),
      };
    case 'plan.ready':
      return {
        ...view,
        phase: 'planned',
        plan: event.plan,
        changes: event.changes,
        steps: inPlanOrder(view.steps, event.plan),
      };
    case 'step.started':
      return {
        ...view,
        phase: 'applying',
        steps: upsertStep(view.steps, event.stepId, { title: event.title, status: 'running', startedAt: at }),
      };
    case 'step.progress':
      return {
        ...view,
        steps: upsertStep(view.steps, event.stepId, {
          message: event.message,
          ...(event.done !== undefined ? { done: event.done } : {}),
          ...(event.total !== undefined ? { total: event.total } : {}),
        }),
      };
    case 'step.done':
      return endStep(view, event.stepId, { title: event.title, status: 'done', summary: event.summary, ms: event.ms });
    case 'step.failed': {
      const step = view.steps.find((s) => s.id === event.stepId);
      const ms = step?.startedAt !== undefined ? at - step.startedAt : undefined;
      return endStep(view, event.stepId, {
        title: event.title,
        status: 'failed',
        error: event.error,
        ...(event.hint !== undefined ? { hint: event.hint } : {}),
        ...(ms !== undefined ? { ms } : {}),
      });
    }
    case 'check.result': {
      const { type: _type, ...row } = event;
      const rest = view.checks.filter((c) => !(c.category === row.category && c.id === row.id));
      return { ...view, checks: [...rest, row] };
    }
    case 'log':
      return { ...view, logs: [...view.logs, { level: event.level, message: event.message }] };
    case 'result':
      return { ...view, phase: 'finished', result: event };
    default:
      return view;
  }
}

export function foldEvents(events: readonly TimedEvent[], start: RunView = initialRunView): RunView {
  return events.reduce(foldEvent, start);
}

/** Steps that will change something: what the approval is about. */
export function pendingChanges(view: RunView): StepView[] {
  return view.steps.filter((s) => s.action !== undefined && s.action !== 'no-op');
}

/**
 * Steps are planned concurrently, so step.planned arrives in a different order each run; the
 * plan lists them in the table's order, and every list on screen (what exists now, the
 * progress) follows that one.
 */
function inPlanOrder(steps: StepView[], plan: unknown): StepView[] {
  const ids = (plan as { steps?: { stepId?: unknown }[] } | undefined)?.steps?.map((s) => s.stepId);
  if (!Array.isArray(ids)) return steps;
  const rank = (id: string) => {
    const i = ids.indexOf(id);
    return i === -1 ? ids.length : i;
  };
  return steps.slice().sort((a, b) => rank(a.id) - rank(b.id));
}
