/**
 * The CLI as a function: `main(argv, io)` returns the exit code and never calls process.exit,
 * so tests drive the real program in-process. Every error ends in the one handler.
 */
import { handleError } from '../output/error-handler.js';
import { processIo, type CliIo } from '../output/io.js';
import { createReporter } from '../output/reporter.js';
import { buildProgram } from './program.js';
import { preScan } from './common-flags.js';

export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const { output, logFile } = preScan(argv);
  const reporter = createReporter(output, io, logFile);
  let exitCode = 0;
  try {
    const program = buildProgram({ io, reporter }, (code) => {
      exitCode = code;
    });
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    return handleError(error, reporter, io.env);
  }
}
