/**
 * The plan is a value (Terraform's plans.Action): per step an action, the changes with
 * + ~ = marks and reasons, and the stamp of what was observed. Humans get it rendered by
 * plan-render.ts; JSON output is this very object.
 */
import { createHash } from 'node:crypto';
import type { StepPlan } from './step.js';

export interface PlannedStep extends StepPlan {
  stepId: string;
  title: string;
  dependsOn: readonly string[];
}

export interface Plan {
  version: 1;
  target: string;
  createdAt: string;
  steps: PlannedStep[];
  /** Nothing to create or update (no-op everywhere, nothing blocked). */
  isEmpty: boolean;
  /** Number of + ~ - changes. */
  changes: number;
  blocked: { stepId: string; reason: string; hint?: string }[];
}

export function makePlan(target: string, steps: PlannedStep[], now = new Date()): Plan {
  const changes = steps.reduce((n, s) => n + s.changes.filter((c) => c.mark !== '=').length, 0);
  const blocked = steps
    .filter((s) => s.action === 'blocked')
    .map((s) => ({ stepId: s.stepId, reason: s.blockedReason ?? 'blocked', ...(s.hint ? { hint: s.hint } : {}) }));
  const isEmpty = blocked.length === 0 && steps.every((s) => s.action === 'no-op');
  return { version: 1, target, createdAt: now.toISOString(), steps, isEmpty, changes, blocked };
}

/** A one-line summary for `step.planned` events. */
export function summarizeStepPlan(plan: StepPlan): string {
  if (plan.action === 'blocked') return `blocked: ${plan.blockedReason ?? ''}`.trim();
  const adds = plan.changes.filter((c) => c.mark === '+').length;
  const updates = plan.changes.filter((c) => c.mark === '~').length;
  const removals = plan.changes.filter((c) => c.mark === '-').length;
  if (adds + updates + removals === 0) {
    // Name what was found unchanged when it is short (e.g. the kube context every cluster
    // change goes to), so the approval covers it by name.
    const kept = plan.changes.filter((c) => c.mark === '=').map((c) => c.resource);
    return kept.length > 0 && kept.length <= 2 ? `no changes (${kept.join(', ')})` : 'no changes';
  }
  return [
    adds ? `${adds} to create` : '',
    updates ? `${updates} to update` : '',
    removals ? `${removals} to remove` : '',
  ]
    .filter(Boolean)
    .join(', ');
}

/** Canonical JSON (sorted keys) so the same observation always gives the same stamp. */
function canonical(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

/**
 * A stable hash of the fields a step observed. Callers pass only the fields their decision
 * depends on (never a secret value), so unrelated churn such as timestamps can't make a plan stale.
 */
export function stamp(observed: unknown): string {
  return createHash('sha256').update(canonical(observed)).digest('hex').slice(0, 16);
}

export function noOp(observed: unknown, changes: StepPlan['changes'] = []): StepPlan {
  return { action: 'no-op', changes, observed: stamp(observed) };
}

export function blocked(observed: unknown, reason: string, hint?: string): StepPlan {
  return {
    action: 'blocked',
    changes: [],
    observed: stamp(observed),
    blockedReason: reason,
    ...(hint ? { hint } : {}),
  };
}

/** create when anything is added, update when only fields change, delete when only removals, no-op otherwise. */
export function fromChanges(observed: unknown, changes: StepPlan['changes']): StepPlan {
  const action = changes.some((c) => c.mark === '+')
    ? 'create'
    : changes.some((c) => c.mark === '~')
      ? 'update'
      : changes.some((c) => c.mark === '-')
        ? 'delete'
        : 'no-op';
  return { action, changes, observed: stamp(observed) };
}
