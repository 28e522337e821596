/** Runs the real CLI in-process (`main(argv, io)`) with recording streams. */
import { main } from '../../source/commands/main.js';
import type { CliIo } from '../../source/output/io.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout + stderr, for "never appears anywhere" assertions. */
  all: string;
}

export async function runCli(
  argv: string[],
  options: { cwd?: string; env?: Record<string, string | undefined>; tty?: boolean } = {},
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (chunk: string) => (stdout += chunk), isTTY: options.tty ?? false },
    stderr: { write: (chunk: string) => (stderr += chunk), isTTY: options.tty ?? false },
    stdinIsTTY: options.tty ?? false,
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
  };
  const code = await main(argv, io);
  return { code, stdout, stderr, all: stdout + stderr };
}
