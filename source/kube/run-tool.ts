/**
 * The one place kubectl and helm are started. execa with an argument array (no shell), so
 * the operator's kubeconfig, context and auth plugins apply unchanged and nothing is
 * re-parsed by a shell. Secrets only ever travel in `input` (stdin), never in `args`.
 */
import { execa } from 'execa';
import { ExternalCommandError } from '../kernel/errors.js';

export interface ToolBinary {
  /** Shown in errors: `kubectl` or `helm`. */
  name: 'kubectl' | 'helm';
  /** What to execute: a bare name found on PATH, or an absolute path. */
  path: string;
  /** Extra environment for the child (merged over process.env), e.g. a PATH or KUBECONFIG. */
  env?: Record<string, string>;
}

export interface ToolRun {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface RunToolOptions {
  /** Piped to stdin; the only channel allowed to carry a secret. */
  input?: string;
  /** Return a non-zero exit instead of throwing (e.g. `auth can-i` answers "no" with exit 1). */
  allowFailure?: boolean;
  timeoutMs?: number;
  /**
   * Values that ride in `input` and must never surface: scrubbed from stderr in any error,
   * in case a tool echoes what it was given (kubectl doesn't normally, but nothing promises it).
   */
  redact?: readonly string[];
}

export async function runTool(
  tool: ToolBinary,
  args: readonly string[],
  options: RunToolOptions = {},
): Promise<ToolRun> {
  let result;
  try {
    result = await execa(tool.path, [...args], {
      env: tool.env,
      extendEnv: true,
      reject: false,
      // Without input, stdin is closed so a tool that prompts fails at once instead of hanging.
      ...(options.input === undefined ? { stdin: 'ignore' as const } : { input: options.input }),
      stripFinalNewline: true,
      timeout: options.timeoutMs,
    });
  } catch (error) {
    throw new ExternalCommandError(`Can't run ${tool.name}: ${(error as Error).message}`, tool.name, args, '');
  }
  if (options.redact?.length) {
    result.stderr = redact(String(result.stderr ?? ''), options.redact);
    result.shortMessage = redact(String(result.shortMessage ?? ''), options.redact);
  }
  if (result.failed && result.exitCode === undefined) {
    // Not started (ENOENT) or killed by the timeout: there is no exit code to report.
    const why = result.timedOut
      ? `timed out after ${options.timeoutMs} ms`
      : result.code === 'ENOENT'
        ? `isn't installed or isn't on PATH (${tool.path})`
        : result.shortMessage;
    throw new ExternalCommandError(`${tool.name} ${why}.`, tool.name, args, String(result.stderr ?? ''));
  }
  const run: ToolRun = {
    stdout: String(result.stdout ?? ''),
    stderr: String(result.stderr ?? ''),
    exitCode: result.exitCode ?? 0,
  };
  if (run.exitCode !== 0 && !options.allowFailure) throw commandFailed(tool, args, run);
  return run;
}

export function commandFailed(tool: ToolBinary, args: readonly string[], run: ToolRun): ExternalCommandError {
  const detail = firstErrorLine(run.stderr) ?? `exit code ${run.exitCode}`;
  return new ExternalCommandError(
    `${describeCommand(tool.name, args)} failed: ${detail}`,
    tool.name,
    args,
    run.stderr,
    run.exitCode,
  );
}

/** `kubectl get secret x`: the words before the first flag name the command well enough. */
function describeCommand(name: string, args: readonly string[]): string {
  const firstFlag = args.findIndex((arg) => arg.startsWith('-'));
  const words = (firstFlag === -1 ? args : args.slice(0, firstFlag)).slice(0, 4);
  return [name, ...words].join(' ');
}

/** Each secret and its base64 form, as stdin carried them, replaced by a marker. */
function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret) continue;
    for (const form of [secret, Buffer.from(secret, 'utf8').toString('base64')])
      out = out.split(form).join('[redacted]');
  }
  return out;
}

function firstErrorLine(stderr: string): string | undefined {
  const lines = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  return lines.find((line) => /^error/i.test(line)) ?? lines[0];
}
