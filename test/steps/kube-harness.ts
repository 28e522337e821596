/**
 * Test harness for the cluster-side steps: an in-process sandbox, the sandbox KubePort bound to
 * a kube context, and runSetup over the full step table (Azure and cluster). Counts ARM and
 * cluster writes from the sandbox's own request log.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startSandbox, type StartSandboxOptions, type RunningSandbox } from '../../source/sandbox/start.js';
import { operatorConnection } from '../engine/helpers/sandbox-run.js';
import { runSetup, type RunSetupOptions, type SetupOutcome } from '../../source/use-cases/setup/run-setup.js';
import type { EngineEvent } from '../../source/kernel/events.js';
import type { SetupConfig } from '../../source/config/setup-config.js';
import type { StepContext } from '../../source/steps/step-context.js';
import { createAzureClients, type AzureConnection } from '../../source/azure/clients.js';
import type { KubectlHelmAdapter } from '../../source/kube/kubectl-helm-adapter.js';
import { sandboxPort } from '../helpers/kube-tools.js';
import { SERVICE_PRINCIPAL } from '../../source/sandbox/world/default-world.js';

export const SP_ENV = { FEATHR_SP_SECRET: SERVICE_PRINCIPAL.clientSecret };

export interface KubeHarness {
  sandbox: RunningSandbox;
  connection: AzureConnection;
  kube(context: string): KubectlHelmAdapter;
  /** A step context for calling one step's plan/apply/verify directly. */
  stepContext(config: SetupConfig, env?: Record<string, string | undefined>): StepContext;
  armWrites(): number;
  clusterWrites(): { method: string; path: string; userAgent?: string }[];
  run(
    config: SetupConfig,
    mode: RunSetupOptions['mode'],
    extra?: Partial<RunSetupOptions>,
  ): Promise<{ outcome: SetupOutcome; events: EngineEvent[] }>;
  close(): Promise<void>;
}

export async function startKubeHarness(options: StartSandboxOptions = {}): Promise<KubeHarness> {
  // Runs replayed many times a second would drain ARM's read bucket, which no person's runs do
  // (the throttling itself has its own tests).
  const sandbox = await startSandbox({ rbacPropagationSeconds: 0, armThrottling: false, ...options });
  const stateDir = await mkdtemp(path.join(tmpdir(), 'kube-steps-'));
  const connection = operatorConnection(sandbox);
  const kube = (context: string) => sandboxPort(sandbox, context);
  const log = () => sandbox.state.requestLog;
  return {
    sandbox,
    connection,
    kube,
    stepContext(config, env = SP_ENV) {
      const port = kube(config.cluster?.kubeContext ?? '');
      const progress: string[] = [];
      return {
        config: { ...config, csi: { ...config.csi, chartRepo: sandbox.chartRepo } } as SetupConfig,
        azure: createAzureClients(connection),
        operator: undefined as never,
        signal: new AbortController().signal,
        progress: (m) => void progress.push(m),
        addFinalizer: () => {},
        pollIntervalMs: 2,
        waitTimeoutMs: 10_000,
        kube: port,
        secrets: { kube: port, stateDir, env },
      };
    },
    armWrites: () => log().filter((r) => r.write && r.plane === 'arm').length,
    clusterWrites: () =>
      log()
        .filter((r) => r.write && r.plane === 'cluster')
        .map(({ method, path: p, userAgent }) => ({ method, path: p, ...(userAgent ? { userAgent } : {}) })),
    async run(config, mode, extra = {}) {
      const events: EngineEvent[] = [];
      const port = kube(config.cluster?.kubeContext ?? '');
      const outcome = await runSetup({
        config: { ...config, csi: { ...config.csi, chartRepo: sandbox.chartRepo } } as SetupConfig,
        mode,
        yes: true,
        hasTTY: false,
        signal: new AbortController().signal,
        emit: (e) => events.push(e),
        connection,
        pollIntervalMs: 2,
        waitTimeoutMs: 10_000,
        kube: port,
        secrets: { kube: port, stateDir, env: SP_ENV },
        ...extra,
      });
      return { outcome, events };
    },
    async close() {
      await sandbox.close();
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}
