/**
 * The terminal the CLI talks to, passed in so tests run `main(argv, io)` in-process with
 * recording streams instead of spawning a process for every case.
 */
export interface OutputStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  /** A terminal's width, when it reports one (long lines then wrap with a hanging indent). */
  columns?: number;
}

export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  stdinIsTTY: boolean;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
}

export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdinIsTTY: process.stdin.isTTY === true,
    env: process.env,
    cwd: process.cwd(),
  };
}

export type OutputMode = 'text' | 'json';
