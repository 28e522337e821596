/**
 * The event stream every run emits. Renderers (Ink, plain text, NDJSON) fold these;
 * steps and checks never print. No event may carry a secret value.
 */
export type Severity = 'fatal' | 'warning';

export type EngineEvent =
  | { type: 'run.started'; command: string; target?: string; sandbox: boolean }
  | { type: 'step.planned'; stepId: string; title: string; action: PlanAction; summary: string }
  | { type: 'plan.ready'; plan: unknown; changes: number }
  | { type: 'step.started'; stepId: string; title: string }
  | { type: 'step.progress'; stepId: string; message: string; done?: number; total?: number }
  | { type: 'step.done'; stepId: string; title: string; summary: string; ms: number }
  | { type: 'step.failed'; stepId: string; title: string; error: string; hint?: string }
  | {
      type: 'check.result';
      category: string;
      id: string;
      description: string;
      status: 'pass' | 'fail' | 'warn' | 'skip';
      severity: Severity;
      message?: string;
      hint?: string;
      diagnosis?: string;
    }
  | { type: 'log'; level: 'info' | 'warn'; message: string }
  | {
      type: 'result';
      ok: boolean;
      exitCode: number;
      summary?: string;
      error?: { message: string; hint?: string; details?: readonly string[] };
      [key: string]: unknown;
    };

export type PlanAction = 'create' | 'update' | 'no-op' | 'blocked' | 'delete';

export type EventSink = (event: EngineEvent) => void;
