/**
 * The CLI's side of the sandbox: start one in this process (`--sandbox`), or reach one already
 * serving (`--sandbox-url` with `--sandbox-ca`), and build the Azure connection and cluster
 * ports over it. The clusters are reached as any cluster is, with the real kubectl and helm,
 * through a kubeconfig the sandbox wrote (in process) or serves (written to a temp file), passed
 * explicitly: the user's own kubeconfig is neither read nor written. With `sandbox serve`, the
 * only code that loads source/sandbox/; it does so lazily, so a real run never pays for it.
 */
import { sandboxAzureConnection } from '../azure/connection.js';
import type { AzureConnection } from '../azure/clients.js';
import type { KubectlHelmAdapter } from '../kube/kubectl-helm-adapter.js';
import { openSandboxKube } from '../kube/sandbox-kube.js';
import type { MigrationTuning } from '../secrets/migration.js';
import { QUICK_BACKOFF } from '../secrets/writer.js';
import { connectSandbox, connectSandboxWithCaFile, type SandboxConnection } from './sandbox-client.js';

/** A sandbox reached over HTTPS, and how to let go of it. */
export interface SandboxSession {
  sandbox: SandboxConnection;
  /** The operator's token, for the sandbox's control routes. */
  token: string;
  connection: AzureConnection;
  /** The real kubectl/helm adapter bound to one kube context of the sandbox's clusters. */
  kubeFor(context: string): Promise<KubectlHelmAdapter>;
  /** The sandbox's Helm repository: CSI charts come from there in a sandbox run. */
  chartRepo: string;
  /** The secret migration's retries, as quick as the SDK's: the sandbox answers in milliseconds. */
  migrationTuning: Partial<MigrationTuning>;
  close(): Promise<void>;
}

async function over(
  sandbox: SandboxConnection,
  close: () => Promise<void>,
  kubeconfig?: string,
): Promise<SandboxSession> {
  const { token } = await sandbox.credential.getToken(`${sandbox.url}/.default`);
  const kube = await openSandboxKube({ url: sandbox.url, caPem: sandbox.caPem, ...(kubeconfig ? { kubeconfig } : {}) });
  return {
    sandbox,
    token,
    connection: sandboxAzureConnection(sandbox),
    kubeFor: (context) => kube.port(context),
    chartRepo: kube.chartRepo.url,
    migrationTuning: { backoff: QUICK_BACKOFF },
    close: async () => {
      await kube.close();
      await close();
    },
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
    return await over(
      await connectSandbox({ url: running.url, caPem: running.caPem }),
      () => running.close(),
      running.kubeconfig,
    );
  } catch (error) {
    await running.close();
    throw error;
  }
}
