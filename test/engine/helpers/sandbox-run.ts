/**
 * Test harness: an in-process sandbox plus runSetup over the real SDKs. Collects events and
 * counts write requests from the sandbox's own request log.
 */
import { startSandbox, type RunningSandbox, type StartSandboxOptions } from '../../../source/sandbox/start.js';
import { credentialFor } from '../../../source/connect/sandbox-client.js';
import { sandboxAzureConnection } from '../../../source/azure/connection.js';
import { runSetup, type RunSetupOptions, type SetupOutcome } from '../../../source/use-cases/setup/run-setup.js';
import type { EngineEvent } from '../../../source/kernel/events.js';
import type { SetupConfig } from '../../../source/config/setup-config.js';
import type { AzureConnection } from '../../../source/azure/clients.js';
import { AZURE_STEPS, selectSteps } from '../../../source/steps/index.js';
import type { Step } from '../../../source/steps/step-context.js';

/** The Azure-side steps; the cluster-side steps have their own tests with a KubePort. */
export function azureSteps(config: SetupConfig): Step[] {
  return selectSteps(config, AZURE_STEPS);
}

export interface Harness {
  sandbox: RunningSandbox;
  connection: AzureConnection;
  writes(): { method: string; path: string; status: number }[];
  run(
    config: SetupConfig,
    mode: RunSetupOptions['mode'],
    extra?: Partial<RunSetupOptions>,
  ): Promise<{ outcome: SetupOutcome; events: EngineEvent[] }>;
  close(): Promise<void>;
}

export async function startHarness(options: StartSandboxOptions = {}): Promise<Harness> {
  // Runs replayed many times a second would drain ARM's read bucket, which no person's runs do.
  const sandbox = await startSandbox({ rbacPropagationSeconds: 0, armThrottling: false, ...options });
  const connection = operatorConnection(sandbox);
  return {
    sandbox,
    connection,
    writes: () =>
      sandbox.state.requestLog
        .filter((r) => r.write && r.plane === 'arm')
        .map(({ method, path, status }) => ({ method, path, status })),
    async run(config, mode, extra = {}) {
      const events: EngineEvent[] = [];
      const outcome = await runSetup({
        config,
        mode,
        yes: true,
        hasTTY: false,
        signal: new AbortController().signal,
        emit: (e) => events.push(e),
        connection,
        pollIntervalMs: 2,
        waitTimeoutMs: 10_000,
        steps: azureSteps(config),
        ...extra,
      });
      return { outcome, events };
    },
    close: () => sandbox.close(),
  };
}

export const SUBSCRIPTION = '00000000-0000-0000-0000-00000000feed';

/** presets/aks-private-endpoint.yaml, as the engine sees it. */
export function azureConfig(overrides: Partial<SetupConfig> = {}): SetupConfig {
  return {
    target: 'azure',
    azure: { subscriptionId: SUBSCRIPTION, resourceGroup: 'feathr-rg', location: 'eastus' },
    vault: { name: 'feathr-kv-demo', create: true, permissionModel: 'rbac', purgeProtection: true },
    network: {
      privateEndpoint: { vnet: 'shared-vnet', subnet: 'kv-endpoints', addressPrefix: '10.20.1.0/24' },
      bypass: 'AzureServices',
    },
    cluster: { kubeContext: 'feathr-aks', aks: { resourceGroup: 'feathr-rg', name: 'feathr-aks' } },
    csi: { install: 'aks-addon', rotation: { enabled: true, pollInterval: '2m' } },
    identity: { mode: 'aks-addon' },
    feathr: { namespace: 'feathr' },
    ...overrides,
  };
}

/** presets/other-cloud-allowlist.yaml, with the sandbox's service principal. */
export function otherCloudConfig(overrides: Partial<SetupConfig> = {}): SetupConfig {
  return {
    target: 'other-cloud',
    azure: { subscriptionId: SUBSCRIPTION, resourceGroup: 'feathr-rg', location: 'eastus' },
    vault: { name: 'feathr-kv-eks', create: true, permissionModel: 'rbac', purgeProtection: true },
    network: { allowedIps: ['52.14.20.1', '52.14.20.2'], bypass: 'AzureServices', keepExistingIpRules: true },
    cluster: { kubeContext: 'feathr-eks' },
    csi: { install: 'helm' },
    identity: {
      mode: 'service-principal',
      servicePrincipal: {
        clientId: '00000000-0000-0000-0000-00000000b002',
        objectId: '00000000-0000-0000-0000-00000000b001',
      },
    },
    feathr: { namespace: 'feathr' },
    ...overrides,
  };
}

/** The world's operator signed in to an in-process sandbox, with LROs polled every 2 ms. */
export function operatorConnection(sandbox: RunningSandbox): AzureConnection {
  const operator = sandbox.state.principals.get(sandbox.state.operatorId)!;
  return sandboxAzureConnection(
    {
      url: sandbox.url,
      caPem: sandbox.caPem,
      subscriptionId: sandbox.subscriptionId,
      tenantId: sandbox.tenantId,
      credential: credentialFor(operator.token, {
        url: sandbox.url,
        caPem: sandbox.caPem,
        principal: operator.objectId,
      }),
      operator: { objectId: operator.objectId, principalType: operator.type },
    },
    { lroIntervalMs: 2 },
  );
}
