/**
 * Wiring for `feathr-kv-setup check`: builds the Azure clients and the KubePort for a real
 * run, an in-process sandbox (--sandbox) or a serving one (--sandbox-url/--sandbox-ca), then
 * hands over to the checks. The same check code runs in all three.
 */
import { createAzureClients, DEFAULT_RETRY, type AzureConnection } from '../azure/clients.js';
import { operatorIdentity } from '../azure/operator-identity.js';
import { runCheckCommand } from '../checks/check-command.js';
import type { CheckContext } from '../checks/types.js';
import type { KubePort } from '../kube/port.js';
import type { ConfiguredCommandInput } from './command-context.js';

interface Ports {
  connection: AzureConnection;
  kube: KubePort;
  close: () => Promise<void>;
}

async function sandboxPorts(url: string, caPem: string, context: string, close: () => Promise<void>): Promise<Ports> {
  const [{ connectSandbox }, { SandboxKubePort }] = await Promise.all([import('../sandbox/client.js'), import('../kube/sandbox-adapter.js')]);
  const sandbox = await connectSandbox({ url, caPem });
  const { token } = await sandbox.credential.getToken(`${sandbox.url}/.default`);
  const kube = new SandboxKubePort({ url: sandbox.url, ca: caPem, token, context });
  return {
    connection: {
      endpoint: sandbox.url,
      credential: sandbox.credential,
      tlsOptions: sandbox.tlsOptions,
      subscriptionId: sandbox.subscriptionId,
      tenantId: sandbox.tenantId,
      lroIntervalMs: 5,
      retry: { maxRetries: 2, retryDelayInMs: 50, maxRetryDelayInMs: 500 },
    },
    kube,
    close: async () => {
      kube.close();
      await close();
    },
  };
}

async function connectPorts(input: ConfiguredCommandInput): Promise<Ports> {
  const { flags, config } = input;
  const context = flags.kubeContext ?? config.cluster.kubeContext;
  if (flags.sandboxUrl && flags.sandboxCa) {
    const { readFile } = await import('node:fs/promises');
    return sandboxPorts(flags.sandboxUrl, await readFile(flags.sandboxCa, 'utf8'), context, async () => {});
  }
  if (flags.sandbox) {
    const { startSandbox } = await import('../sandbox/start.js');
    const sandbox = await startSandbox();
    return sandboxPorts(sandbox.url, sandbox.caPem, context, () => sandbox.close());
  }
  const [{ DefaultAzureCredential }, { KubectlHelmAdapter }] = await Promise.all([import('@azure/identity'), import('../kube/kubectl-helm-adapter.js')]);
  const credential = new DefaultAzureCredential(config.azure.tenantId ? { tenantId: config.azure.tenantId } : {});
  return {
    connection: {
      endpoint: 'https://management.azure.com',
      credential,
      subscriptionId: config.azure.subscriptionId,
      tenantId: config.azure.tenantId ?? '',
      lroIntervalMs: 2000,
      retry: DEFAULT_RETRY,
    },
    kube: await KubectlHelmAdapter.create({ context }),
    close: async () => {},
  };
}

export async function checkCommand(input: ConfiguredCommandInput): Promise<number> {
  const ports = await connectPorts(input);
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once('SIGINT', onSigint);
  try {
    const azure = createAzureClients(ports.connection);
    const ctx: CheckContext = {
      config: input.config,
      azure,
      kube: ports.kube,
      operator: operatorIdentity({ credential: ports.connection.credential, scope: `${ports.connection.endpoint}/.default` }),
      signal: abort.signal,
      ...(input.config.probe?.image ? { probeImage: input.config.probe.image } : {}),
      // Role assignments take up to 10 minutes on Azure; the sandbox's delay is seconds.
      pollIntervalMs: input.flags.sandbox || input.flags.sandboxUrl ? 250 : 15_000,
      waitTimeoutMs: input.flags.sandbox || input.flags.sandboxUrl ? 30_000 : 10 * 60_000,
    };
    return await runCheckCommand(ctx, { mode: input.reporter.mode, emit: (event) => input.reporter.emit(event) });
  } finally {
    process.off('SIGINT', onSigint);
    await ports.close();
  }
}
