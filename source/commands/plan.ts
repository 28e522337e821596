/**
 * `plan --preset FILE`: print the plan, change nothing; exit 0 = nothing to do, 2 = changes
 * pending, 1 = error.
 */
import type { ConfiguredCommandInput } from './command-context.js';

export async function plan(input: ConfiguredCommandInput): Promise<number> {
  const { setupCommand } = await import('../use-cases/setup/setup-command.js');
  return setupCommand({
    config: input.config,
    mode: 'plan',
    flags: input.flags,
    stdinIsTTY: input.io.stdinIsTTY,
    emit: (event) => input.reporter.emit(event),
  });
}
