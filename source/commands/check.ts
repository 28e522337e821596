/**
 * `check [--preset FILE]`: preflight and in-cluster checks against what exists; exit 0 = all
 * pass, 1 = a fatal check failed. The wiring lives in use-cases/check/check-command.ts.
 */
import type { ConfiguredCommandInput } from './command-context.js';

export async function check(input: ConfiguredCommandInput): Promise<number> {
  const { checkCommand } = await import('../use-cases/check/check-command.js');
  return checkCommand(input);
}
