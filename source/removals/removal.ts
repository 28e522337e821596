/**
 * One shape for every removal step: `inspect` reads what is there and says, per resource,
 * remove (-) with how, or keep (=) with why. plan = inspect; apply = inspect again and run the
 * removals in order; verify = inspect again and fail naming whatever is still there. So a
 * failure stops the run with what remains, and a re-run picks up from the live state.
 */
import type { Change } from '../kernel/step.js';
import { defineStep, type Step, type StepContext } from '../steps/step-context.js';
import { blocked, fromChanges } from '../kernel/plan.js';
import { UserError } from '../kernel/errors.js';
import type { SetupConfig } from '../config/setup-config.js';

export interface Removal {
  change: Change;
  /** Present exactly when change.mark is '-'. */
  remove?: () => Promise<void>;
}

interface Inspection {
  observed: unknown;
  items: Removal[];
  blocked?: { reason: string; hint?: string };
}

export function removeItem(resource: string, reason: string, remove: () => Promise<void>): Removal {
  return { change: { mark: '-', resource, reason }, remove };
}

export function keepItem(resource: string, reason: string): Removal {
  return { change: { mark: '=', resource, reason } };
}

export interface RemovalSpec<K extends keyof StepContext> {
  id: string;
  title: string;
  dependsOn: readonly string[];
  appliesTo: (config: SetupConfig) => boolean;
  inspect: (ctx: Pick<StepContext, K>) => Promise<Inspection>;
  /** Past participle summary once nothing of ours is left, e.g. "Feathr release removed". */
  done: string;
}

export function defineRemoval<K extends keyof StepContext>(spec: RemovalSpec<K>): Step<StepContext> {
  // What apply removed, per run context: verify says "removed" only when something was, since the
  // executor verifies a step with nothing to remove too. Keyed weakly, so nothing outlives a run.
  const removedIn = new WeakMap<object, number>();
  return defineStep<K>({
    id: spec.id,
    title: spec.title,
    dependsOn: spec.dependsOn,
    appliesTo: spec.appliesTo,
    async plan(ctx) {
      const seen = await spec.inspect(ctx);
      if (seen.blocked) return blocked(seen.observed, seen.blocked.reason, seen.blocked.hint);
      return fromChanges(
        seen.observed,
        seen.items.map((i) => i.change),
      );
    },
    async apply(ctx) {
      const seen = await spec.inspect(ctx);
      if (seen.blocked) throw new UserError(seen.blocked.reason, seen.blocked.hint);
      // In order: a step lists its removals in the order they must happen (e.g. credential, then identity).
      let removed = 0;
      for (const item of seen.items) {
        if (item.change.mark !== '-' || !item.remove) continue;
        await item.remove();
        removed += 1;
        removedIn.set(ctx, removed);
      }
    },
    async verify(ctx) {
      const seen = await spec.inspect(ctx);
      const remaining = seen.items.filter((i) => i.change.mark === '-').map((i) => i.change.resource);
      if (remaining.length > 0) {
        throw new UserError(
          `Still there after removing: ${remaining.join(', ')}.`,
          'Run the same uninstall again: it continues from what remains.',
          remaining,
        );
      }
      const kept = seen.items.filter((i) => i.change.mark === '=').length;
      const done = (removedIn.get(ctx) ?? 0) > 0 ? spec.done : `${spec.title}: nothing of this tool's to remove`;
      return kept > 0 ? `${done}; ${kept} kept` : done;
    },
  });
}
