/**
 * One run of the engine as the UI sees it: a stream of messages (engine events, and the one
 * approval request) and the decisions handed back. The runner does the work outside React;
 * the Ink tree only subscribes and folds (no work loop inside a component).
 */
import { CancelledError, isKnownError, UserError } from '../kernel/errors.js';
import type { EngineEvent, EventSink } from '../kernel/events.js';
import type { Plan } from '../kernel/plan.js';
import type { Config } from '../config/schema.js';
import type { RunIo } from '../use-cases/wizard/run-io.js';
import type { SourcedValue } from '../secrets/secret-entry.js';

export type RunMessage = { kind: 'event'; event: EngineEvent; at: number } | { kind: 'approval'; plan: Plan };

export type Decision = 'apply' | 'cancel' | 'back';

export interface RunHandle {
  subscribe(listener: (message: RunMessage) => void): () => void;
  decide(decision: Decision): void;
  /** Ctrl-C: abort the engine; finalizers still run before `done` settles. */
  cancel(): void;
  readonly cancelled: boolean;
  /** The exit code of the run (0, 1, or 130 after Ctrl-C); never rejects. */
  readonly done: Promise<number>;
}

function exitCodeOf(error: unknown): number {
  return error instanceof CancelledError ? error.exitCode : 1;
}

export interface StartRunOptions {
  now?: () => number;
  prompted?: readonly SourcedValue[];
}

export function startRun<C = Config>(
  runner: (config: C, io: RunIo) => Promise<void>,
  config: C,
  options: StartRunOptions = {},
): RunHandle {
  const now = options.now ?? Date.now;
  const backlog: RunMessage[] = [];
  const listeners = new Set<(message: RunMessage) => void>();
  const controller = new AbortController();
  let decideApproval: ((ok: boolean) => void) | undefined;
  let resultSeen: Extract<EngineEvent, { type: 'result' }> | undefined;
  let backedOut = false;
  const send = (message: RunMessage) => {
    backlog.push(message);
    for (const listener of listeners) listener(message);
  };
  const emit: EventSink = (event) => {
    if (event.type === 'result') resultSeen = event;
    send({ kind: 'event', event, at: now() });
  };
  const approve = (plan: Plan) =>
    new Promise<boolean>((resolve) => {
      decideApproval = resolve;
      send({ kind: 'approval', plan });
    });
  const done = runner(config, { emit, signal: controller.signal, approve, prompted: options.prompted ?? [] }).then(
    () => {
      if (controller.signal.aborted) return 130;
      if (resultSeen) return resultSeen.exitCode;
      return backedOut ? 1 : 0;
    },
    (error: unknown) => {
      // Ctrl-C is 130; a declined plan is a CancelledError that carries its own code (1).
      const aborted = controller.signal.aborted;
      const code = aborted ? 130 : exitCodeOf(error);
      if (!resultSeen && !backedOut) {
        const message = aborted
          ? 'Cancelled. A re-run picks up where this one stopped.'
          : error instanceof Error
            ? error.message
            : String(error);
        const hint =
          error instanceof UserError
            ? error.hint
            : isKnownError(error)
              ? undefined
              : 'This is a bug; please report it with the log file.';
        emit({ type: 'result', ok: false, exitCode: code, error: { message, ...(hint ? { hint } : {}) } });
      }
      return code;
    },
  );
  return {
    subscribe(listener) {
      for (const message of backlog) listener(message);
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    decide(decision) {
      if (decision === 'back') backedOut = true;
      decideApproval?.(decision === 'apply');
      decideApproval = undefined;
    },
    cancel() {
      controller.abort();
      // A pending approval would otherwise keep the runner waiting forever.
      decideApproval?.(false);
      decideApproval = undefined;
    },
    get cancelled() {
      return controller.signal.aborted;
    },
    done,
  };
}
