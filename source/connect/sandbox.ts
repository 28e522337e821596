/**
 * The CLI's side of the sandbox: start one in this process (`--sandbox`), or reach one already
 * serving (`--sandbox-url` with `--sandbox-ca`), and build the Azure connection and cluster
 * port over it. With `sandbox serve`, the only code that loads source/sandbox/; it does so
 * lazily, so a real run never pays for it.
 */
import { sandboxAzureConnection } from '../azure/connection.js';
import type { AzureConnection } from '../azure/clients.js';
import { SandboxKubePort } from '../kube/sandbox-adapter.js';
import { connectSandbox, connectSandboxWithCaFile, type SandboxConnection } from './sandbox-client.js';

/** A sandbox reached over HTTPS, and how to let go of it. */
export interface SandboxSession {
  sandbox: SandboxConnection;
  /** The operator's token, for the sandbox's cluster API. */
  token: string;
  connection: AzureConnection;
  /** A cluster port bound to one kube context of the sandbox's clusters. */
  kubeFor(context: string): SandboxKubePort;
  close(): Promise<void>;
}

async function over(sandbox: SandboxConnection, close: () => Promise<void>): Promise<SandboxSession> {
  const { token } = await sandbox.credential.getToken(`${sandbox.url}/.default`);
  return {
    sandbox,
    token,
    connection: sandboxAzureConnection(sandbox),
    kubeFor: (context) => new SandboxKubePort({ url: sandbox.url, ca: sandbox.caPem, token, context }),
    close,
  };
}

/** A sandbox already serving: `--sandbox-url URL --sandbox-ca FILE`, or one a test started. */
export async function reachSandbox(url: string, ca: { caPem: string } | { caFile: string }): Promise<SandboxSession> {
  const sandbox =
    'caPem' in ca
      ? await connectSandbox({ url, caPem: ca.caPem })
      : await connectSandboxWithCaFile({ url, caFile: ca.caFile });
  return over(sandbox, async () => {});
}

/** A sandbox started in this process with the default world; it ends on close. */
export async function startSandboxInProcess(): Promise<SandboxSession> {
  const { startSandbox } = await import('../sandbox/start.js');
  const running = await startSandbox();
  try {
    return await over(await connectSandbox({ url: running.url, caPem: running.caPem }), () => running.close());
  } catch (error) {
    await running.close();
    throw error;
  }
}
