/**
 * The small error taxonomy (one handler at the top, four kinds below it).
 * Nothing below `cli.ts` calls `process.exit`; everything throws one of these.
 */

/** Something the user can fix: bad input, a missing permission, an unreachable vault. */
export class UserError extends Error {
  readonly kind = 'user' as const;
  constructor(
    message: string,
    /** What to try, in one sentence or an exact command. */
    readonly hint?: string,
    /** Extra facts (field paths, names), never secret values. */
    readonly details: readonly string[] = [],
  ) {
    super(message);
    this.name = 'UserError';
  }
}

/** An external command (kubectl, helm) failed. argv never holds a secret, so it is safe to show. */
export class ExternalCommandError extends Error {
  readonly kind = 'external' as const;
  constructor(
    message: string,
    readonly command: string,
    readonly args: readonly string[],
    readonly stderr: string,
    readonly exitCode?: number,
  ) {
    super(message);
    this.name = 'ExternalCommandError';
  }
}

/** The user pressed Ctrl-C or declined approval: no stack, exit 130 (or 1 when declined). */
export class CancelledError extends Error {
  readonly kind = 'cancel' as const;
  constructor(
    message = 'Cancelled.',
    readonly exitCode = 130,
  ) {
    super(message);
    this.name = 'CancelledError';
  }
}

export type KnownError = UserError | ExternalCommandError | CancelledError;

export function isKnownError(error: unknown): error is KnownError {
  return error instanceof UserError || error instanceof ExternalCommandError || error instanceof CancelledError;
}
