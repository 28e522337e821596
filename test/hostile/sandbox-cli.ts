/**
 * The real CLI (`main(argv, io)`, in-process) against an in-process sandbox reached through
 * `--sandbox-url/--sandbox-ca`, as a user's CI would. The sandbox's own request log is the
 * witness for "no Azure request before the input is valid".
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type RunningSandbox, type StartSandboxOptions } from '../../source/sandbox/start.js';
import type { RequestLogEntry } from '../../source/sandbox/world/state.js';
import { runCli, type CliRun } from '../cli/run-cli.js';

export interface SandboxCli {
  sandbox: RunningSandbox;
  dir: string;
  /** argv gets `--sandbox-url/--sandbox-ca` appended; the request log is cleared first. */
  run(argv: string[], env?: Record<string, string>): Promise<CliRun & { requests: RequestLogEntry[] }>;
  close(): Promise<void>;
}

export async function startSandboxCli(options: StartSandboxOptions = {}): Promise<SandboxCli> {
  // Runs replayed many times a second would drain ARM's read bucket, which no person's runs do.
  const sandbox = await startSandbox({ rbacPropagationSeconds: 0, armThrottling: false, ...options });
  const dir = await mkdtemp(join(tmpdir(), 'kv-proof-'));
  const caFile = join(dir, 'sandbox-ca.pem');
  await writeFile(caFile, sandbox.caPem);
  return {
    sandbox,
    dir,
    async run(argv, env = {}) {
      sandbox.state.requestLog.length = 0;
      const result = await runCli([...argv, '--sandbox-url', sandbox.url, '--sandbox-ca', caFile], { cwd: dir, env });
      return { ...result, requests: [...sandbox.state.requestLog] };
    },
    async close() {
      await sandbox.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** What a crash looks like to a user: a stack frame, or the bug handler's words. */
export function crashSigns(output: string): string[] {
  const signs: string[] = [];
  if (/^\s+at .+\(.*:\d+:\d+\)$/m.test(output) || /^\s+at .+:\d+:\d+$/m.test(output)) signs.push('a stack frame');
  if (output.includes('Something unexpected went wrong')) signs.push('the bug handler');
  if (/\b(TypeError|ReferenceError|RangeError|SyntaxError):/.test(output)) signs.push('a raw JS error name');
  return signs;
}

/** The last NDJSON `result` event of a `--output json` run. */
export function resultEvent(
  stdout: string,
): { ok: boolean; exitCode: number; error?: { message: string; hint?: string; details?: string[] } } | undefined {
  const lines = stdout.split('\n').filter((line) => line.startsWith('{'));
  for (const line of lines.reverse()) {
    const event = JSON.parse(line) as { type?: string };
    if (event.type === 'result') return event as never;
  }
  return undefined;
}
