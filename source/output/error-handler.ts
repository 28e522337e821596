/**
 * The one top-level error handler (small taxonomy, one handler). It turns whatever a
 * command threw into the final `result` event and the exit code:
 * UserError → 1 with its fix; ExternalCommandError → 1 with the command; CancelledError → its
 * code (130 after Ctrl-C); a commander usage error → 1; anything else is a bug → 1 with a stack
 * only when FEATHR_KV_DEBUG is set.
 */
import { CancelledError, ExternalCommandError, UserError } from '../kernel/errors.js';
import type { Reporter } from './reporter.js';

interface CommanderLikeError {
  code: string;
  exitCode: number;
  message: string;
}

function isCommanderError(error: unknown): error is CommanderLikeError {
  return (
    error instanceof Error &&
    typeof (error as { code?: unknown }).code === 'string' &&
    (error as unknown as { code: string }).code.startsWith('commander.')
  );
}

export function handleError(
  error: unknown,
  reporter: Reporter,
  env: Readonly<Record<string, string | undefined>> = {},
): number {
  if (isCommanderError(error)) {
    // --help and --version end through here too; commander already printed them.
    if (error.exitCode === 0) return 0;
    const message = error.message.replace(/^error: /, '');
    reporter.emit({
      type: 'result',
      ok: false,
      exitCode: 1,
      error: { message: capitalize(message), hint: 'Run feathr-kv-setup --help to see the commands and flags.' },
    });
    return 1;
  }
  if (error instanceof CancelledError) {
    reporter.emit({ type: 'result', ok: false, exitCode: error.exitCode, error: { message: error.message } });
    return error.exitCode;
  }
  if (error instanceof UserError) {
    reporter.emit({
      type: 'result',
      ok: false,
      exitCode: 1,
      error: {
        message: error.message,
        hint: error.hint,
        details: error.details.length > 0 ? error.details : undefined,
      },
    });
    return 1;
  }
  if (error instanceof ExternalCommandError) {
    const stderrTail = error.stderr.trim().split('\n').slice(-15);
    reporter.emit({
      type: 'result',
      ok: false,
      exitCode: 1,
      error: {
        message: error.message,
        details: [
          `command: ${[error.command, ...error.args].join(' ')}${error.exitCode !== undefined ? ` (exit ${error.exitCode})` : ''}`,
          ...stderrTail.filter((l) => l !== ''),
        ],
      },
    });
    return 1;
  }
  const message = error instanceof Error ? error.message : String(error);
  const stack =
    env.FEATHR_KV_DEBUG && error instanceof Error && error.stack
      ? error.stack
          .split('\n')
          .slice(1, 8)
          .map((l) => l.trim())
      : undefined;
  reporter.emit({
    type: 'result',
    ok: false,
    exitCode: 1,
    error: {
      message: `Something unexpected went wrong: ${message}`,
      hint: 'This is a bug in feathr-kv-setup; please report it with the command you ran (set FEATHR_KV_DEBUG=1 for a stack trace).',
      details: stack,
    },
  });
  return 1;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
