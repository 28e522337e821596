/**
 * The checks around every setup run:
 * - preflight: the local checks, before planning, in every mode. They only read (ARM GETs,
 *   checkNameAvailability, `kubectl auth can-i`), so `plan` and `--dry-run` stay write-free.
 *   What the run itself creates (the vault, the namespace, the release) makes its checks pass
 *   or skip with a reason, never fail. A fatal failure stops the run before there is a plan.
 * - verify: after apply, the in-cluster checks as the verify of the Feathr install, plus the
 *   digest comparison of the migrated secrets (checks/secret-digest.ts).
 *
 * Why the verify is a phase after applyPlan and not a step in the table: a step plans before
 * anything is applied, in parallel with the others, so it can't know whether the run changes
 * anything; it would plan a change every time (and `plan` would never exit 0) or none, and it
 * reports through progress lines, not the check.result events the check table is made of.
 * The phase still shows as one progress row (step.started / step.done, id verify-in-cluster).
 */
import { FACT_SOURCES, LOCAL_CHECKS, VERIFY_CHECKS } from '../../checks/index.js';
import { runChecks } from '../../checks/runner.js';
import { summarizeChecks } from '../../checks/render-table.js';
import { skip, type Check, type CheckContext, type CheckReport, type CheckResult } from '../../checks/types.js';
import { collectSecrets } from '../../secrets/collect.js';
import type { SecretEntry } from '../../secrets/secret-entry.js';
import { CancelledError, UserError } from '../../kernel/errors.js';
import type { EventSink } from '../../kernel/events.js';
import type { BaseContext } from '../../steps/step-context.js';

const VERIFY_PHASE = { stepId: 'verify-in-cluster', title: 'In-cluster checks' } as const;

const NO_PROBE_REASON = 'nothing changed in this run, so no probe pod was started (feathr-kv-setup check runs it)';

/** Fatal checks failed; the check.result events were emitted already, so this only sums up. */
export class ChecksFailedError extends UserError {
  constructor(
    readonly phase: 'preflight' | 'installed',
    readonly results: readonly CheckResult[],
  ) {
    const failed = results.filter((r) => r.status === 'fail');
    const first = failed[0];
    const count = `${failed.length} ${phase === 'preflight' ? 'preflight' : 'in-cluster'} check${failed.length === 1 ? '' : 's'} ${failed.length === 1 ? 'fails' : 'fail'}`;
    // A failed check's message is already the cause in the present tense; the description only names what was checked.
    const causeOf = (r: CheckResult) => r.message ?? `${r.description}: no`;
    const cause = first ? causeOf(first) : 'no reason given';
    super(
      phase === 'preflight'
        ? `${count}, so nothing was changed: ${cause}`
        : `The install doesn't work in the cluster (${count}): ${cause}`,
      first?.hint,
      failed.slice(1).map((r) => `${causeOf(r)}${r.hint && r.hint !== first?.hint ? ` Fix: ${r.hint}` : ''}`),
    );
    this.name = 'ChecksFailedError';
  }
}

function checkContext(base: BaseContext): CheckContext {
  const image = base.config.probe?.image;
  return {
    config: base.config,
    azure: base.azure,
    operator: base.operator,
    signal: base.signal,
    pollIntervalMs: base.pollIntervalMs,
    waitTimeoutMs: base.waitTimeoutMs,
    ...(base.kube ? { kube: base.kube } : {}),
    ...(base.secrets ? { secrets: base.secrets } : {}),
    ...(image ? { probeImage: image } : {}),
  };
}

/** Before planning: throws ChecksFailedError on a fatal failure. */
export async function runPreflight(base: BaseContext, emit: EventSink): Promise<CheckReport> {
  const report = await runChecks(LOCAL_CHECKS, checkContext(base), emit);
  if (!report.ok) throw new ChecksFailedError('preflight', report.results);
  return report;
}

/** The migrated values, read from their sources again; in memory only, for the digest comparison. */
async function migratedEntries(base: BaseContext): Promise<readonly SecretEntry[]> {
  const settings = base.config.secrets;
  if (!settings || settings.sources.length === 0) return [];
  const runtime = base.secrets ?? {};
  const collected = await collectSecrets(settings, {
    kube: runtime.kube ?? base.kube,
    baseDir: runtime.baseDir,
    env: runtime.env,
    prompted: runtime.prompted,
  });
  return collected.entries;
}

/** The in-cluster checks, without the probe ones when `probe` is false (they skip, saying why). */
function verifyChecks(probe: boolean): readonly Check[] {
  return probe
    ? VERIFY_CHECKS
    : VERIFY_CHECKS.map((c) => (c.needsProbe ? { ...c, run: async () => skip(NO_PROBE_REASON) } : c));
}

/**
 * After apply. `probe` false on a run that changed nothing: it then stays read-only, so a
 * re-run makes no write anywhere. The facts are re-read here, not taken from the preflight:
 * the apply changed them (the add-on and its identity, for one).
 */
export async function runVerifyPhase(
  base: BaseContext,
  emit: EventSink,
  options: { probe: boolean },
): Promise<CheckReport> {
  const ctx: CheckContext = { ...checkContext(base), migratedSecrets: () => migratedEntries(base) };
  const started = performance.now();
  emit({ type: 'step.started', ...VERIFY_PHASE });
  let report: CheckReport;
  try {
    const facts = (
      await runChecks(
        LOCAL_CHECKS.filter((c) => FACT_SOURCES.has(c.id)),
        ctx,
        () => {},
      )
    ).facts;
    report = await runChecks(verifyChecks(options.probe), ctx, emit, facts);
  } catch (error) {
    const cancelled = base.signal.aborted || error instanceof CancelledError;
    emit({
      type: 'step.failed',
      ...VERIFY_PHASE,
      error: cancelled ? 'Cancelled.' : error instanceof Error ? error.message : String(error),
    });
    throw cancelled ? new CancelledError() : error;
  }
  if (!report.ok) {
    const failure = new ChecksFailedError('installed', report.results);
    emit({
      type: 'step.failed',
      ...VERIFY_PHASE,
      error: failure.message,
      ...(failure.hint ? { hint: failure.hint } : {}),
    });
    throw failure;
  }
  const c = summarizeChecks(report.results);
  const summary = `In-cluster checks passed: ${c.passed} passed, ${c.warnings} warning${c.warnings === 1 ? '' : 's'}, ${c.skipped} skipped${options.probe ? '' : ' (no probe pod: nothing changed)'}`;
  emit({ type: 'step.done', ...VERIFY_PHASE, summary, ms: Math.round(performance.now() - started) });
  return report;
}
