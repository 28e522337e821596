/**
 * EngineEvents as plain lines for a terminal or a log, in the house words: noun + past
 * participle for progress, present tense plus a fix for failures.
 */
import type { EngineEvent, PlanAction } from '../kernel/events.js';
import type { Style } from './style.js';
import { renderPlanValue } from '../kernel/plan-render.js';
import { MARK } from './marks.js';

const ACTION_MARK: Record<PlanAction, string> = { create: '+', update: '~', delete: '-', 'no-op': '=', blocked: '!' };

/** The lines for one event, and whether they belong on stderr. */
export function renderEventText(event: EngineEvent, style: Style): { lines: string[]; stderr: boolean } {
  switch (event.type) {
    case 'run.started':
      return {
        lines: [
          style.bold(
            `feathr-kv-setup ${event.command}${event.target ? ` (${event.target})` : ''}${event.sandbox ? ' in the sandbox' : ''}`,
          ),
        ],
        stderr: false,
      };
    case 'step.planned':
      return { lines: [`${ACTION_MARK[event.action]} ${event.title}: ${event.summary}`], stderr: false };
    case 'plan.ready': {
      // The plan grouped by step with + ~ = marks, ending with its count; the JSON form is the
      // same value. An empty plan prints nothing here: the result line says it once.
      const text = renderPlanValue(event.plan);
      if (text !== undefined) return { lines: text ? [text] : [], stderr: false };
      return {
        lines: event.changes === 0 ? [] : [`Plan: ${event.changes} ${event.changes === 1 ? 'change' : 'changes'}.`],
        stderr: false,
      };
    }
    case 'step.started':
      return { lines: [style.dim(`… ${event.title}`)], stderr: false };
    case 'step.progress':
      return {
        lines: [style.dim(`  ${event.message}${event.total ? ` (${event.done ?? 0}/${event.total})` : ''}`)],
        stderr: false,
      };
    case 'step.done':
      return { lines: [`${style.green(MARK.pass)} ${event.summary || event.title}`], stderr: false };
    case 'step.failed':
      return {
        lines: [`${style.red(MARK.fail)} ${event.title}: ${event.error}`, ...(event.hint ? [`  ${event.hint}`] : [])],
        stderr: true,
      };
    case 'check.result': {
      const mark =
        event.status === 'fail'
          ? style.red(MARK.fail)
          : event.status === 'pass'
            ? style.green(MARK.pass)
            : style.yellow(MARK[event.status]);
      const lines = [`${mark} ${event.description}${event.message ? `: ${event.message}` : ''}`];
      if (event.hint && event.status !== 'pass') lines.push(`    ${event.hint}`);
      return { lines, stderr: false };
    }
    case 'log':
      return {
        lines: [event.level === 'warn' ? `${style.yellow(MARK.warn)} ${event.message}` : event.message],
        stderr: event.level === 'warn',
      };
    case 'result': {
      if (event.ok) return { lines: event.summary ? [event.summary] : [], stderr: false };
      const error = event.error;
      const lines = [`${style.red(MARK.fail)} ${error?.message ?? event.summary ?? 'Failed.'}`];
      for (const detail of error?.details ?? []) lines.push(`  ${detail}`);
      if (error?.hint) lines.push(style.dim(error.hint));
      return { lines, stderr: true };
    }
  }
}
