/**
 * Runs checks in table order, so facts flow from earlier checks to later ones, and reports
 * each result as a `check.result` event (the linkerd observer: the renderer decides between
 * a table and JSON). A warning-severity failure shows as `warn` and never fails the run.
 */
import { CancelledError, UserError } from '../kernel/errors.js';
import type { EventSink } from '../kernel/events.js';
import type { Check, CheckContext, CheckFacts, CheckOutcome, CheckReport, CheckResult } from './types.js';

function errorOutcome(error: unknown): CheckOutcome {
  // A check that throws has still found something: the failure is its result.
  const message = error instanceof Error ? error.message : String(error);
  return { status: 'fail', message, ...(error instanceof UserError && error.hint ? { hint: error.hint } : {}) };
}

export async function runChecks(
  checks: readonly Check[],
  ctx: CheckContext,
  emit: EventSink,
  initial: CheckFacts = {},
): Promise<CheckReport> {
  let facts: CheckFacts = { ...initial };
  const results: CheckResult[] = [];
  for (const check of checks) {
    if (ctx.signal.aborted) throw new CancelledError();
    const started = Date.now();
    let outcome: CheckOutcome;
    try {
      outcome = await check.run(ctx, facts);
    } catch (error) {
      if (error instanceof CancelledError || ctx.signal.aborted) throw new CancelledError();
      outcome = errorOutcome(error);
    }
    facts = { ...facts, ...(outcome.facts ?? {}) };
    const status = outcome.status === 'fail' && check.severity === 'warning' ? 'warn' : outcome.status;
    const failed = status === 'fail' || status === 'warn';
    const hint = failed
      ? (outcome.hint ?? (typeof check.hint === 'function' ? check.hint(ctx, facts) : check.hint))
      : undefined;
    const message = status === 'skip' ? `skipped: ${outcome.skipReason ?? 'no reason given'}` : outcome.message;
    const result: CheckResult = {
      id: check.id,
      category: check.category,
      description: check.description,
      severity: check.severity,
      status,
      ...(message ? { message } : {}),
      ...(hint ? { hint } : {}),
      ...(outcome.diagnosis ? { diagnosis: outcome.diagnosis } : {}),
      ms: Date.now() - started,
    };
    results.push(result);
    emit({
      type: 'check.result',
      category: result.category,
      id: result.id,
      description: result.description,
      status: result.status,
      severity: result.severity,
      ...(result.message ? { message: result.message } : {}),
      ...(result.hint ? { hint: result.hint } : {}),
      ...(result.diagnosis ? { diagnosis: result.diagnosis } : {}),
    });
  }
  return { results, facts, ok: !results.some((r) => r.status === 'fail' && r.severity === 'fatal') };
}
