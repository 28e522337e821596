/**
 * Where the guided session's Azure and clusters are: a sandbox started in this process
 * (--sandbox), one already serving (--sandbox-url/--sandbox-ca), one a test started, or the
 * operator's real Azure sign-in and kubectl. It opens the sandbox the way the preset commands
 * do (sandbox.ts); the one difference is that the kube context is chosen later, in the wizard,
 * so clusters come as a directory of contexts instead of one bound port.
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createAzureClients, type AzureClients, type AzureConnection } from '../azure/clients.js';
import { realAzureConnection } from '../azure/connection.js';
import { subscriptionTenant, tenantCredential } from '../azure/subscription-clients.js';
import { UserError } from '../kernel/errors.js';
import type { MigrationTuning } from '../secrets/migration.js';
import { reachSandbox, startSandboxInProcess, type SandboxSession } from './sandbox.js';
import { sandboxDirectory, type ClusterDirectory } from '../discovery/sources/clusters.js';
import { kubectlDirectory } from '../discovery/sources/kubectl-directory.js';

export type WizardTarget =
  | { kind: 'sandbox' }
  | { kind: 'sandbox-url'; url: string; caFile: string }
  /** A sandbox this process already runs (tests). */
  | { kind: 'sandbox-running'; url: string; caPem: string }
  | { kind: 'azure'; env: Readonly<Record<string, string | undefined>> };

export interface WizardConnection {
  sandbox: boolean;
  connection: AzureConnection;
  azure: AzureClients;
  clusters: ClusterDirectory;
  account?: string;
  subscriptions?: { id: string; name: string }[];
  /** Sandbox sessions: the sandbox's Helm repository, which stands in for csi.chartRepo in a run. */
  chartRepo?: string;
  /** Sandbox sessions: the secret migration's quicker retries. */
  migrationTuning?: Partial<MigrationTuning>;
  /** A connection for another subscription than the one discovery used. */
  forSubscription(subscriptionId: string): Promise<AzureConnection>;
  close(): Promise<void>;
}

function overSandbox(session: SandboxSession): WizardConnection {
  const { sandbox, token, connection } = session;
  const clusters = sandboxDirectory({ url: sandbox.url, ca: sandbox.caPem, token, portFor: session.kubeFor });
  return {
    sandbox: true,
    connection,
    azure: createAzureClients(connection),
    clusters,
    account: 'operator@sandbox.test (simulated)',
    chartRepo: session.chartRepo,
    migrationTuning: session.migrationTuning,
    forSubscription: async (subscriptionId) => {
      if (subscriptionId.toLowerCase() === connection.subscriptionId.toLowerCase()) return connection;
      // Another subscription may trust another tenant: ARM names it, and tokens are asked for it.
      const tenantId = await subscriptionTenant(connection, subscriptionId);
      const credential =
        tenantId === connection.tenantId.toLowerCase()
          ? connection.credential
          : tenantCredential(connection.credential, tenantId);
      return { ...connection, subscriptionId, tenantId, credential };
    },
    close: async () => {
      clusters.close();
      await session.close();
    },
  };
}

interface AzureProfile {
  subscriptions?: { id: string; name: string; tenantId?: string; isDefault?: boolean; user?: { name?: string } }[];
}

/** The Azure CLI's list of subscriptions (a local file; no subscriptions SDK is installed). */
async function readAzureProfile(env: Readonly<Record<string, string | undefined>>): Promise<AzureProfile> {
  const file = join(env.AZURE_CONFIG_DIR ?? join(homedir(), '.azure'), 'azureProfile.json');
  try {
    // The CLI writes it with a byte-order mark.
    return JSON.parse((await readFile(file, 'utf8')).replace(/^\uFEFF/, '')) as AzureProfile;
  } catch {
    return {}; // no Azure CLI profile: fall back to AZURE_SUBSCRIPTION_ID
  }
}

async function overAzure(env: Readonly<Record<string, string | undefined>>): Promise<WizardConnection> {
  const profile = await readAzureProfile(env);
  const subs = profile.subscriptions ?? [];
  const chosen =
    subs.find((s) => s.id === env.AZURE_SUBSCRIPTION_ID) ??
    (env.AZURE_SUBSCRIPTION_ID
      ? { id: env.AZURE_SUBSCRIPTION_ID, name: 'from AZURE_SUBSCRIPTION_ID' }
      : subs.find((s) => s.isDefault));
  if (!chosen) {
    throw new UserError(
      "Can't tell which Azure subscription to use.",
      'Run `az login` (and `az account set --subscription ID`), or set AZURE_SUBSCRIPTION_ID.',
    );
  }
  const tenantId = 'tenantId' in chosen ? chosen.tenantId : env.AZURE_TENANT_ID;
  const connection = await realAzureConnection({ subscriptionId: chosen.id, ...(tenantId ? { tenantId } : {}) });
  const user = 'user' in chosen ? chosen.user?.name : undefined;
  return {
    sandbox: false,
    connection,
    azure: createAzureClients(connection),
    clusters: kubectlDirectory(),
    ...(user ? { account: user } : {}),
    ...(subs.length > 0 ? { subscriptions: subs.map((s) => ({ id: s.id, name: s.name })) } : {}),
    forSubscription: async (subscriptionId) => {
      if (subscriptionId === connection.subscriptionId) return connection;
      // A subscription of another tenant needs a credential for that tenant: ARM refuses a token
      // of the wrong tenant (InvalidAuthenticationTokenTenant).
      const other = subs.find((s) => s.id === subscriptionId)?.tenantId;
      const sameTenant = !other || other.toLowerCase() === connection.tenantId.toLowerCase();
      return realAzureConnection({
        subscriptionId,
        ...(sameTenant ? { credential: connection.credential } : {}),
        ...(other ? { tenantId: other } : {}),
      });
    },
    close: async () => {},
  };
}

export async function openWizardConnection(target: WizardTarget): Promise<WizardConnection> {
  switch (target.kind) {
    case 'sandbox-running':
      return overSandbox(await reachSandbox(target.url, { caPem: target.caPem }));
    case 'sandbox-url':
      return overSandbox(await reachSandbox(target.url, { caFile: target.caFile }));
    case 'sandbox':
      return overSandbox(await startSandboxInProcess());
    case 'azure':
      return overAzure(target.env);
  }
}
