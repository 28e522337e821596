/**
 * The ports of a preset command (plan, run, check, uninstall): Azure and the cluster, both real
 * or both the sandbox's, and where the secret migration keeps its record. Every command opens
 * them here, so the sandbox and real Azure get the same connection settings everywhere.
 */
import { realAzureConnection } from '../azure/connection.js';
import type { AzureConnection } from '../azure/clients.js';
import type { KubePort } from '../kube/port.js';
import type { SetupConfig } from '../config/setup-config.js';
import type { MigrationTuning } from '../secrets/migration.js';
import { reachSandbox, startSandboxInProcess, type SandboxSession } from './sandbox.js';
import { throwawayStateDir } from './state-dir.js';

/** Where to connect: the sandbox flags of every preset command. */
export interface ConnectFlags {
  sandbox: boolean;
  sandboxUrl?: string;
  sandboxCa?: string;
}

export interface PortsRequest {
  flags: ConnectFlags;
  azure: { subscriptionId: string; tenantId?: string };
  kubeContext: string;
}

export interface Ports {
  /** True when Azure and the cluster are the sandbox's. */
  sandbox: boolean;
  connection: AzureConnection;
  kube: KubePort;
  close: () => Promise<void>;
  /** Where the migration keeps its record of written versions; unset = the user's state dir. */
  stateDir?: string;
  /** Sandbox runs: the sandbox's Helm repository, which stands in for csi.chartRepo. */
  chartRepo?: string;
  /** Sandbox runs: the secret migration's quicker retries. */
  migrationTuning?: Partial<MigrationTuning>;
}

async function overSandbox(
  session: SandboxSession,
  kubeContext: string,
  extra: { stateDir?: string; close?: () => Promise<void> } = {},
): Promise<Ports> {
  const kube = await session.kubeFor(kubeContext);
  return {
    sandbox: true,
    connection: session.connection,
    kube,
    chartRepo: session.chartRepo,
    migrationTuning: session.migrationTuning,
    ...(extra.stateDir ? { stateDir: extra.stateDir } : {}),
    close: async () => {
      await session.close();
      await extra.close?.();
    },
  };
}

/** What to connect to for a preset command: the flags, the preset's subscription, the kube context. */
export function portsRequest(input: {
  config: Pick<SetupConfig, 'azure' | 'cluster'>;
  flags: ConnectFlags & { kubeContext?: string };
}): PortsRequest {
  const { flags, config } = input;
  return { flags, azure: config.azure, kubeContext: flags.kubeContext ?? config.cluster?.kubeContext ?? '' };
}

export async function openPorts(request: PortsRequest): Promise<Ports> {
  const { flags, kubeContext } = request;
  if (flags.sandboxUrl && flags.sandboxCa)
    return overSandbox(await reachSandbox(flags.sandboxUrl, { caFile: flags.sandboxCa }), kubeContext);
  if (flags.sandbox) {
    const session = await startSandboxInProcess();
    const state = await throwawayStateDir();
    return overSandbox(session, kubeContext, { stateDir: state.path, close: state.remove });
  }
  const { KubectlHelmAdapter } = await import('../kube/kubectl-helm-adapter.js');
  const connection = await realAzureConnection({
    subscriptionId: request.azure.subscriptionId,
    ...(request.azure.tenantId ? { tenantId: request.azure.tenantId } : {}),
  });
  return {
    sandbox: false,
    connection,
    kube: await KubectlHelmAdapter.create({ context: kubeContext }),
    close: async () => {},
  };
}
