/**
 * Something wrong with what the sandbox was started with (a world file, a faults or latency
 * spec): the person starting it can fix it. It carries a fix and field-level details, like the
 * CLI's own user errors; the CLI turns it into one where it starts the sandbox.
 */
export class SandboxInputError extends Error {
  constructor(
    message: string,
    /** What to try, in one sentence. */
    readonly hint?: string,
    /** Field paths and the like, never a secret value. */
    readonly details: readonly string[] = [],
  ) {
    super(message);
    this.name = 'SandboxInputError';
  }
}
