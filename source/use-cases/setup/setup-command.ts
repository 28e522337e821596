/**
 * What the `plan` command and preset mode share: connect to Azure (real or sandbox), run the
 * setup use case with Ctrl-C wired to an AbortSignal, and report the result event. Commands
 * call this with their parsed input; the exit code comes back.
 *
 * Checks: JSON output passes every check.result event through; text output gathers them into
 * the grouped table (render-table.ts), printed when the batch ends: the preflight table before
 * the plan, the in-cluster table at the end. The result event carries the counts as `checks`.
 */
import type { EngineEvent, EventSink } from '../../kernel/events.js';
import { runSetup, type SetupMode } from './run-setup.js';
import { ChecksFailedError } from './setup-checks.js';
import { renderCheckTable, summarizeChecks, type CheckRow } from '../../checks/render-table.js';
import type { SetupConfig } from '../../config/setup-config.js';
import type { Plan } from '../../kernel/plan.js';
import { openPorts, portsRequest, type Ports } from '../../connect/ports.js';
import { runInterruptible } from '../../connect/interrupt.js';
import { askYes } from '../../connect/prompt.js';

export interface SetupCommandInput {
  config: SetupConfig;
  mode: SetupMode;
  flags: {
    yes: boolean;
    output: 'text' | 'json';
    sandbox: boolean;
    sandboxUrl?: string;
    sandboxCa?: string;
    kubeContext?: string;
  };
  /** The preset's folder: relative envFile paths resolve against it. */
  presetDir?: string;
  stdinIsTTY: boolean;
  emit: EventSink;
  /** The one approval prompt (TTY only); without one, approval can't be asked. */
  confirm?: (plan: Plan) => Promise<boolean>;
}

/** The plain approval prompt (the plan itself was already printed through plan.ready). */
const askOnTerminal = (plan: Plan): Promise<boolean> =>
  askYes(`Apply these ${plan.changes} change${plan.changes === 1 ? '' : 's'}? Type yes to go ahead: `);

/**
 * Text mode: holds check.result rows back and emits them as one table (a log event, so the
 * log file gets what the screen shows) as soon as another event arrives or the run ends.
 */
function checkTables(
  output: 'text' | 'json',
  emit: EventSink,
): { emit: EventSink; flush: () => void; rows: CheckRow[] } {
  const all: CheckRow[] = [];
  let pending: CheckRow[] = [];
  let planned = false;
  const flush = () => {
    if (pending.length === 0) return;
    const heading = planned ? 'In-cluster checks' : 'Preflight checks';
    emit({ type: 'log', level: 'info', message: `${heading}\n\n${renderCheckTable(pending)}` });
    pending = [];
  };
  return {
    rows: all,
    flush,
    emit(event: EngineEvent) {
      if (event.type === 'check.result') {
        all.push(event);
        if (output === 'text') return void pending.push(event);
      } else flush();
      if (event.type === 'plan.ready') planned = true;
      emit(event);
    },
  };
}

export async function setupCommand(input: SetupCommandInput): Promise<number> {
  const tables = checkTables(input.flags.output, input.emit);
  return runInterruptible(
    () => openPorts(portsRequest(input)),
    ({ connection, kube, stateDir, chartRepo, migrationTuning }, signal) =>
      setupWith(
        input,
        tables,
        {
          connection,
          kube,
          ...(stateDir ? { stateDir } : {}),
          ...(chartRepo ? { chartRepo } : {}),
          ...(migrationTuning ? { migrationTuning } : {}),
        },
        signal,
      ),
  );
}

async function setupWith(
  input: SetupCommandInput,
  tables: ReturnType<typeof checkTables>,
  ports: Omit<Ports, 'close' | 'sandbox'>,
  signal: AbortSignal,
): Promise<number> {
  const { connection, kube, stateDir, chartRepo, migrationTuning } = ports;
  // A sandbox run pulls charts from the sandbox's own repository (it can't reach the public one).
  const config = chartRepo ? { ...input.config, csi: { ...input.config.csi, chartRepo } } : input.config;
  try {
    const hasTTY = input.stdinIsTTY && input.flags.output !== 'json';
    const outcome = await runSetup({
      config,
      mode: input.mode,
      yes: input.flags.yes,
      hasTTY,
      signal,
      emit: tables.emit,
      connection,
      kube,
      secrets: {
        kube,
        ...(input.presetDir ? { baseDir: input.presetDir } : {}),
        ...(stateDir ? { stateDir } : {}),
        ...(migrationTuning ? { tuning: migrationTuning } : {}),
      },
      confirm: input.confirm ?? askOnTerminal,
    });
    tables.flush();
    const { plan } = outcome;
    const checks = summarizeChecks(tables.rows);
    if (input.mode !== 'apply') {
      const summary = plan.isEmpty
        ? `No changes: all ${plan.steps.length} steps already match the preset.`
        : `${plan.changes} change${plan.changes === 1 ? '' : 's'} pending${input.mode === 'dry-run' ? ' (dry run: nothing was changed)' : ''}.`;
      input.emit({ type: 'result', ok: true, exitCode: outcome.exitCode, summary, changes: plan.changes, checks });
      return outcome.exitCode;
    }
    const steps = outcome.applied?.verified.length ?? 0;
    const verified = outcome.checks.cluster ? `, in-cluster checks passed` : '';
    const summary = plan.isEmpty
      ? `Nothing to change; ${steps} steps verified${verified}.`
      : `Setup applied: ${plan.changes} change${plan.changes === 1 ? '' : 's'}, ${steps} steps verified${verified}.`;
    input.emit({ type: 'result', ok: true, exitCode: 0, summary, changes: plan.changes, checks });
    return 0;
  } catch (error) {
    tables.flush();
    if (!(error instanceof ChecksFailedError)) throw error;
    // Said here rather than by the top-level handler, so the result carries the check counts.
    const failed = error.results.filter((r) => r.status === 'fail').map((r) => r.id);
    input.emit({
      type: 'result',
      ok: false,
      exitCode: 1,
      checks: summarizeChecks(tables.rows),
      failed,
      error: {
        message: error.message,
        ...(error.hint ? { hint: error.hint } : {}),
        ...(error.details.length > 0 ? { details: error.details } : {}),
      },
    });
    return 1;
  }
}
