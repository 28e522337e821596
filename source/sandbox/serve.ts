/**
 * `sandbox serve`: start the sandbox, write its CA to a temp file, print exactly
 * one JSON line `{"url","caFile","token","subscriptionId","tenantId","kubeconfig"}` on stdout once ready,
 * then serve until SIGTERM/SIGINT/SIGHUP (or `signal` aborts), and remove the temp file on the way out.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from './start.js';

export interface ServeSandboxOptions {
  port?: number;
  worldFile?: string;
  faults?: string;
  latency?: string;
  seed?: number;
  /** Where the ready line goes (stdout by default). */
  output?: NodeJS.WritableStream;
  /** Stops serving when aborted (in-process callers and tests). */
  signal?: AbortSignal;
}

export async function serveSandbox(options: ServeSandboxOptions = {}): Promise<void> {
  const sandbox = await startSandbox({
    port: options.port,
    worldFile: options.worldFile,
    faults: options.faults,
    latency: options.latency,
    seed: options.seed,
  });
  const dir = await mkdtemp(join(tmpdir(), 'feathr-kv-sandbox-'));
  const caFile = join(dir, 'ca.pem');
  try {
    await writeFile(caFile, sandbox.caPem, { mode: 0o644 });
    // Listen for SIGTERM/SIGINT (and SIGHUP, a closed terminal) before the ready line goes out:
    // a CI script may stop the sandbox the moment it reads that line, and Node's default would
    // skip the cleanup below.
    const signals = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;
    const stopped = new Promise<void>((resolve) => {
      const stop = () => {
        for (const name of signals) process.off(name, stop);
        options.signal?.removeEventListener('abort', stop);
        resolve();
      };
      for (const name of signals) process.once(name, stop);
      if (options.signal?.aborted) stop();
      else options.signal?.addEventListener('abort', stop);
    });
    const ready = {
      url: sandbox.url,
      caFile,
      token: sandbox.tokenFor(sandbox.state.operatorId),
      subscriptionId: sandbox.subscriptionId,
      tenantId: sandbox.tenantId,
      kubeconfig: sandbox.kubeconfig,
    };
    (options.output ?? process.stdout).write(`${JSON.stringify(ready)}\n`);
    await stopped;
  } finally {
    await sandbox.close();
    await rm(dir, { recursive: true, force: true });
  }
}
